using System.Text.Json;
using Amazon.SQS;
using Amazon.SQS.Model;
using Jobs.Shared.Json;

namespace Jobs.Shared.Queue;

/// <summary><see cref="IJobQueue"/> on SQS: one message per job, its body the JSON <see cref="JobMessage"/>.</summary>
public sealed class SqsJobQueue(IAmazonSQS sqs, JobQueueOptions options) : IJobQueue
{
    /// <summary>SQS's longest message delay.</summary>
    public const int MaxDelaySeconds = 900;

    public async Task EnqueueAsync(JobMessage message, TimeSpan delay, CancellationToken cancellationToken)
    {
        await sqs.SendMessageAsync(new SendMessageRequest
        {
            QueueUrl = options.UrlFor(message),
            MessageBody = JsonSerializer.Serialize(message, JobsJsonContext.Default.JobMessage),
            DelaySeconds = (int)Math.Clamp(Math.Ceiling(delay.TotalSeconds), 0, MaxDelaySeconds),
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task EnqueueManyAsync(IReadOnlyList<JobMessage> messages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        foreach (var ten in messages.Chunk(10))
        {
            var entries = ten.Select((m, i) => new SendMessageBatchRequestEntry(i.ToString(System.Globalization.CultureInfo.InvariantCulture), JsonSerializer.Serialize(m, JobsJsonContext.Default.JobMessage))).ToList();
            // A batch send can fail for some entries only; those are sent once more, then it is the caller's retry.
            for (var round = 0; round < 2 && entries.Count > 0; round++)
            {
                var response = await sqs.SendMessageBatchAsync(new SendMessageBatchRequest { QueueUrl = options.UrlFor(ten[0]), Entries = entries }, cancellationToken).ConfigureAwait(false);
                var failed = (response.Failed ?? []).Select(f => f.Id).ToHashSet(StringComparer.Ordinal);
                entries = [.. entries.Where(e => failed.Contains(e.Id))];
            }

            if (entries.Count > 0)
            {
                throw new AmazonSQSException($"{entries.Count} of a batch of job messages could not be sent.");
            }
        }
    }

    public async Task EnqueueBatchStepAsync(Batches.BatchMessage message, CancellationToken cancellationToken)
    {
        await sqs.SendMessageAsync(new SendMessageRequest
        {
            QueueUrl = options.QueueUrl,
            MessageBody = JsonSerializer.Serialize(message, Batches.BatchJsonContext.Default.BatchMessage),
        }, cancellationToken).ConfigureAwait(false);
    }
}
