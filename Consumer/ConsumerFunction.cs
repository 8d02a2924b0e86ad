using Jobs.Consumer.Batch;
using Jobs.Consumer.Jobs;
using Jobs.Consumer.Reconciliation;
using Jobs.Shared.Lambda;

namespace Jobs.Consumer;

/// <summary>
/// The Consumer's Lambda handler: an SQS batch in, the messages to deliver again out; or, when the
/// reconciler's schedule invokes it, one reconciler run. The same function serves the jobs queue and
/// its dead-letter queue; the record's source ARN says which.
/// </summary>
public sealed class ConsumerFunction(SqsBatchProcessor batches, JobProcessor jobs, DeadLetterProcessor deadLetters, Reconciler reconciler, ConsumerOptions options, Batches.BatchExpander expander, Batches.ScheduledBatches scheduled)
{
    public async Task<SqsBatchResponse> HandleAsync(ConsumerEvent @event, LambdaContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(@event);
        if (@event.ScheduledBatch is { } run)
        {
            // A request that names no run is a misconfigured schedule: fail the invocation so the scheduler's dead-letter shows it.
            _ = await scheduled.StartAsync(run, cancellationToken).ConfigureAwait(false)
                ?? throw new ArgumentException("The scheduled batch names no run: it needs name, bucket, key and scheduledTime.");
            return new SqsBatchResponse();
        }

        if (@event.Reconcile is not null)
        {
            await reconciler.RunAsync(cancellationToken).ConfigureAwait(false);
            return new SqsBatchResponse();
        }

        return await batches.ProcessAsync(new SqsEvent { Records = @event.Records }, context, RouteAsync, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The SQS batch alone, as the local event source mapping and tests hand it over.</summary>
    public Task<SqsBatchResponse> HandleAsync(SqsEvent batch, LambdaContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return HandleAsync(new ConsumerEvent { Records = batch.Records }, context, cancellationToken);
    }

    private Task<MessageOutcome> RouteAsync(SqsEventMessage message, LambdaContext context, CancellationToken cancellationToken) =>
        string.Equals(message.EventSourceArn, options.DeadLetterQueueArn, StringComparison.Ordinal)
            ? deadLetters.ProcessAsync(message, context, cancellationToken)
            : Batches.BatchMessageReader.Read(message.Body) is { } step
                ? expander.ProcessAsync(step, cancellationToken)
                : jobs.ProcessAsync(message, context, cancellationToken);
}
