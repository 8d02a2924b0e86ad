using Jobs.Consumer.Batch;
using Jobs.Consumer.Jobs;
using Jobs.Shared.Lambda;

namespace Jobs.Consumer;

/// <summary>
/// The Consumer's Lambda handler: an SQS batch in, the messages to deliver again out. The same
/// function serves the jobs queue and its dead-letter queue; the record's source ARN says which.
/// </summary>
public sealed class ConsumerFunction(SqsBatchProcessor batches, JobProcessor jobs, DeadLetterProcessor deadLetters, ConsumerOptions options)
{
    public Task<SqsBatchResponse> HandleAsync(SqsEvent batch, LambdaContext context, CancellationToken cancellationToken) =>
        batches.ProcessAsync(batch, context, RouteAsync, cancellationToken);

    private Task<MessageOutcome> RouteAsync(SqsEventMessage message, LambdaContext context, CancellationToken cancellationToken) =>
        options.DeadLetterQueueArn is { Length: > 0 } arn && string.Equals(message.EventSourceArn, arn, StringComparison.Ordinal)
            ? deadLetters.ProcessAsync(message, context, cancellationToken)
            : jobs.ProcessAsync(message, context, cancellationToken);
}
