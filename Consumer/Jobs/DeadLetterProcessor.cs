using Jobs.Consumer.Batch;
using Jobs.Consumer.Metrics;
using Jobs.Shared.Jobs;
using Jobs.Shared.Lambda;
using Jobs.Shared.Logging;
using Jobs.Shared.Storage;
using Microsoft.Extensions.Logging;

namespace Jobs.Consumer.Jobs;

/// <summary>
/// Handles messages from the dead-letter queue: whatever path a message took there (a worker that
/// crashed on every receive, a bug), its job must not stay queued or running for ever. The job is
/// failed with <c>dead_lettered</c> and its notice sent; a finished job only gets its notice; a
/// stale message (one a later dispatch replaced) changes nothing, so a job waiting for capacity
/// is never failed by an old copy of its message.
/// </summary>
public sealed partial class DeadLetterProcessor(IJobStore store, JobNotifier notifier, JobMetrics metrics, TimeProvider time, ILogger<DeadLetterProcessor> logger)
{
    public async Task<MessageOutcome> ProcessAsync(SqsEventMessage message, LambdaContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (JobMessageReader.Read(message.Body) is not { } jobMessage)
        {
            LogDropped(logger, message.MessageId, "not a job message");
            return MessageOutcome.Acknowledge("poison: not a job message");
        }

        using var scope = logger.BeginScope(LogScope.Of("jobId", jobMessage.JobId));
        Job? job;
        try
        {
            job = await store.GetAsync(jobMessage.JobId, cancellationToken).ConfigureAwait(false);
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
            if (jobMessage.Dispatch != job.Dispatch)
            {
                return MessageOutcome.Acknowledge($"stale dead letter: dispatch {jobMessage.Dispatch}, the job is on {job.Dispatch}");
            }

            var last = job.Error is { } e ? $" The last error was {e.Code}: {e.Message}" : string.Empty;
            var error = new JobError(JobErrorCodes.DeadLettered, $"The job's message was moved to the dead-letter queue after {message.ReceiveCount} deliveries.{last}");
            var failed = await store.FailUnclaimedAsync(job.Id, error, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            if (!failed.IsApplied && failed.Job is not { } current)
            {
                return MessageOutcome.Acknowledge("the job is gone");
            }

            if (!failed.IsApplied && !failed.Job!.Status.IsTerminal())
            {
                // A worker still holds it under a live lease: look again when the message returns.
                return MessageOutcome.Retry("the job is held by a worker");
            }

            if (failed.IsApplied)
            {
                // The failing write recorded the notice as sent: publish it now.
                LogDeadLettered(logger, job.Id);
                metrics.Count(JobMetrics.JobFailed, job.Request.Model, JobErrorCodes.DeadLettered);
                await notifier.PublishAsync(failed.Job!, cancellationToken).ConfigureAwait(false);
                return MessageOutcome.Acknowledge("dead letter settled");
            }

            job = failed.Job!;
        }

        await notifier.EnsureNotifiedAsync(job, cancellationToken).ConfigureAwait(false);
        return MessageOutcome.Acknowledge("dead letter settled");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dead-letter message {MessageId} dropped: {Reason}")]
    private static partial void LogDropped(ILogger logger, string messageId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {JobId} failed: its message reached the dead-letter queue")]
    private static partial void LogDeadLettered(ILogger logger, string jobId);
}
