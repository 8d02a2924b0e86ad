using Jobs.Shared.Lambda;
using Microsoft.Extensions.Logging;

namespace Jobs.Consumer.Batch;

/// <summary>
/// Runs a batch's messages concurrently (bounded by <see cref="ConsumerOptions.MaxConcurrency"/>)
/// and reports in <c>batchItemFailures</c> exactly the records that did not finish: one that asked
/// to come back, one that failed, one the deadline or a shutdown cut short, and one never started
/// because the invocation was ending. A record that finished is never handed back, whatever happens
/// to its neighbours, so work already done (a job deferred on a fresh message, say) is never redone.
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
        var records = batch.Records;
        var outcomes = new MessageOutcome?[records.Count];
        // The token is checked per record, not handed to ForEachAsync: a cut-short batch must still
        // come back here to report which records finished.
        await Parallel.ForEachAsync(
            Enumerable.Range(0, records.Count),
            new ParallelOptions { MaxDegreeOfParallelism = Math.Clamp(options.MaxConcurrency, 1, 10) },
            async (index, _) =>
            {
                var message = records[index];
                if (cancellationToken.IsCancellationRequested)
                {
                    return;
                }

                try
                {
                    outcomes[index] = await process(message, context, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    // Cut short by the deadline or a shutdown: reported below as not finished.
                }
                catch (Exception ex)
                {
                    LogMessageFailed(logger, message.MessageId, ex);
                    outcomes[index] = MessageOutcome.Retry(ex.GetType().Name + ": " + ex.Message);
                }
            }).ConfigureAwait(false);

        var failures = new List<SqsBatchItemFailure>();
        for (var i = 0; i < outcomes.Length; i++)
        {
            var outcome = outcomes[i] ?? MessageOutcome.Retry("not finished when the invocation ended");
            LogOutcome(logger, records[i].MessageId, outcome.ToString());
            if (!outcome.IsAcknowledged)
            {
                failures.Add(new SqsBatchItemFailure(records[i].MessageId));
            }
        }

        return new SqsBatchResponse { BatchItemFailures = failures };
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Message {MessageId} failed; it will be delivered again")]
    private static partial void LogMessageFailed(ILogger logger, string messageId, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Message {MessageId} {Outcome}")]
    private static partial void LogOutcome(ILogger logger, string messageId, string outcome);
}
