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
            QueueUrl = options.QueueUrl,
            MessageBody = JsonSerializer.Serialize(message, JobsJsonContext.Default.JobMessage),
            DelaySeconds = (int)Math.Clamp(Math.Ceiling(delay.TotalSeconds), 0, MaxDelaySeconds),
        }, cancellationToken).ConfigureAwait(false);
    }
}
