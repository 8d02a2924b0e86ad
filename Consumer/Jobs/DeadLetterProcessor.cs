using Jobs.Consumer.Batch;
using Jobs.Shared.Jobs;
using Jobs.Shared.Lambda;
using Jobs.Consumer.Metrics;
using Jobs.Shared.Storage;
using Microsoft.Extensions.Logging;

namespace Jobs.Consumer.Jobs;

/// <summary>
/// Handles messages from the dead-letter queue: whatever path a message took there (a worker that
/// crashed on every receive, a bug), its job must not stay queued or running for ever. The job is
/// failed with <c>dead_lettered</c> and its notice sent; a finished job only gets its notice.
/// </summary>
public sealed partial class DeadLetterProcessor(IJobStore store, JobNotifier notifier, JobMetrics metrics, TimeProvider time, ILogger<DeadLetterProcessor> logger)
{
    public async Task<MessageOutcome> ProcessAsync(SqsEventMessage message, LambdaContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var jobId = JobMessageReader.ReadJobId(message.Body);
        Job? job = null;
        try
        {
            job = jobId is null ? null : await store.GetAsync(jobId, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidDataException ex)
        {
            LogDropped(logger, message.MessageId, ex.Message);
            return MessageOutcome.Acknowledge("poison: " + ex.Message);
        }

        if (job is null)
        {
            LogDropped(logger, message.MessageId, "not a message for a known job");
            return MessageOutcome.Acknowledge("poison: not a message for a known job");
        }

        if (!job.Status.IsTerminal())
        {
            var last = job.Error is { } e ? $" The last error was {e.Code}: {e.Message}" : string.Empty;
            var error = new JobError(JobErrorCodes.DeadLettered, $"The job's message was moved to the dead-letter queue after {message.ReceiveCount} deliveries.{last}");
            if (!await store.TryFailUnclaimedAsync(job.Id, error, time.GetUtcNow(), cancellationToken).ConfigureAwait(false))
            {
                // A worker still holds it under a live lease: look again when the message returns.
                return MessageOutcome.Retry("the job is held by a worker");
            }

            LogDeadLettered(logger, job.Id);
            metrics.Count(JobMetrics.JobFailed, job.Request.Model, JobErrorCodes.DeadLettered);
        }

        await notifier.EnsureNotifiedAsync(job.Id, cancellationToken).ConfigureAwait(false);
        return MessageOutcome.Acknowledge("dead letter settled");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dead-letter message {MessageId} dropped: {Reason}")]
    private static partial void LogDropped(ILogger logger, string messageId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {JobId} failed: its message reached the dead-letter queue")]
    private static partial void LogDeadLettered(ILogger logger, string jobId);
}
