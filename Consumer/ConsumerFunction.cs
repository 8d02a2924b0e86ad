using Jobs.Consumer.Batch;
using Jobs.Consumer.Jobs;
using Jobs.Shared.Lambda;

namespace Jobs.Consumer;

/// <summary>The Consumer's Lambda handler: an SQS batch in, the messages to deliver again out.</summary>
public sealed class ConsumerFunction(SqsBatchProcessor batches, JobProcessor jobs)
{
    public Task<SqsBatchResponse> HandleAsync(SqsEvent batch, LambdaContext context, CancellationToken cancellationToken) =>
        batches.ProcessAsync(batch, context, jobs.ProcessAsync, cancellationToken);
}
