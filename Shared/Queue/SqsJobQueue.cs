using System.Text.Json;
using Amazon.SQS;
using Amazon.SQS.Model;
using Jobs.Shared.Json;

namespace Jobs.Shared.Queue;

/// <summary><see cref="IJobQueue"/> on SQS: one message per job, its body the JSON <see cref="JobMessage"/>.</summary>
public sealed class SqsJobQueue(IAmazonSQS sqs, JobQueueOptions options) : IJobQueue
{
    public async Task EnqueueAsync(JobMessage message, CancellationToken cancellationToken)
    {
        await sqs.SendMessageAsync(new SendMessageRequest
        {
            QueueUrl = options.QueueUrl,
            MessageBody = JsonSerializer.Serialize(message, JobsJsonContext.Default.JobMessage),
        }, cancellationToken).ConfigureAwait(false);
    }
}
