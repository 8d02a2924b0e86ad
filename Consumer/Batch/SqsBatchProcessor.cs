using Jobs.Shared.Lambda;
using Microsoft.Extensions.Logging;

namespace Jobs.Consumer.Batch;

/// <summary>
/// Runs a batch's messages concurrently (bounded by <see cref="ConsumerOptions.MaxConcurrency"/>)
/// and reports each one that did not finish in <c>batchItemFailures</c>, so one bad message never
/// sends its neighbours back. If the invocation itself is being torn down, the exception
/// propagates and the whole batch returns to the queue, as a crashed Lambda's would.
/// </summary>
public sealed partial class SqsBatchProcessor(ConsumerOptions options, ILogger<SqsBatchProcessor> logger)
{
    public async Task<SqsBatchResponse> ProcessAsync(
        SqsEvent batch,
        LambdaContext context,
        Func<SqsEventMessage, LambdaContext, CancellationToken, Task<MessageOutcome>> process,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(process);
        var outcomes = new MessageOutcome?[batch.Records.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, batch.Records.Count),
            new ParallelOptions { MaxDegreeOfParallelism = Math.Clamp(options.MaxConcurrency, 1, 10), CancellationToken = cancellationToken },
            async (index, token) =>
            {
                var message = batch.Records[index];
                try
                {
                    outcomes[index] = await process(message, context, token).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !token.IsCancellationRequested)
                {
                    LogMessageFailed(logger, message.MessageId, ex);
                    outcomes[index] = MessageOutcome.Retry(ex.GetType().Name + ": " + ex.Message);
                }
            }).ConfigureAwait(false);

        var failures = new List<SqsBatchItemFailure>();
        for (var i = 0; i < outcomes.Length; i++)
        {
            var outcome = outcomes[i]!;
            LogOutcome(logger, batch.Records[i].MessageId, outcome.ToString());
            if (!outcome.IsAcknowledged)
            {
                failures.Add(new SqsBatchItemFailure(batch.Records[i].MessageId));
            }
        }

        return new SqsBatchResponse { BatchItemFailures = failures };
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Message {MessageId} failed; it will be delivered again")]
    private static partial void LogMessageFailed(ILogger logger, string messageId, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Message {MessageId} {Outcome}")]
    private static partial void LogOutcome(ILogger logger, string messageId, string outcome);
}
