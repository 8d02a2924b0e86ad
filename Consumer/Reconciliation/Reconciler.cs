using Jobs.Consumer.Jobs;
using Jobs.Shared.Jobs;
using Jobs.Shared.Logging;
using Jobs.Shared.Queue;
using Jobs.Shared.Storage;
using Microsoft.Extensions.Logging;

namespace Jobs.Consumer.Reconciliation;

/// <summary>
/// DynamoDB is the truth; the queue only wakes workers. Run every minute (an EventBridge Scheduler
/// schedule on AWS, a timer locally), the reconciler reads the status index for jobs the queue
/// has let down and puts them right: a queued job whose message is overdue (a send that failed, a
/// message lost) gets a fresh one; a running job whose worker died (its lease long over) is re-driven
/// with a fresh message; a finished job without a recorded notice gets its notice. Each repair is a
/// conditional write first, so it races safely with the consumer and with itself.
/// </summary>
public sealed partial class Reconciler(IJobStore store, IJobQueue queue, JobNotifier notifier, ConsumerOptions options, TimeProvider time, ILogger<Reconciler> logger, IBatchStore batches, Batches.BatchFinisher finisher)
{
    public async Task<ReconcileReport> RunAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var cutoff = now - options.ReconcileMargin;
        int resent = 0, redriven = 0, notified = 0, skipped = 0;
        await foreach (var job in store.ListStrandedAsync(cutoff, cancellationToken).ConfigureAwait(false))
        {
            using var scope = logger.BeginScope(LogScope.Of("jobId", job.Id));
            if (job.Status.IsTerminal())
            {
                await notifier.EnsureNotifiedAsync(job, cancellationToken).ConfigureAwait(false);
                LogNotified(logger, job.Status.ToName());
                notified++;
                continue;
            }

            var redispatched = await store.RedispatchAsync(job.Id, job.Dispatch, now, now, cancellationToken).ConfigureAwait(false);
            if (!redispatched.IsApplied)
            {
                skipped++;
                continue;
            }

            // If this send fails too, the job is overdue again after the margin and the next run tries once more.
            await queue.EnqueueAsync(new JobMessage(job.Id, redispatched.Job!.Dispatch) { Bulk = job.BatchId is not null }, TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
            if (job.Status == JobStatus.Queued)
            {
                LogResent(logger, job.Dispatch, redispatched.Job.Dispatch);
                resent++;
            }
            else
            {
                LogRedriven(logger, job.Dispatch, redispatched.Job.Dispatch);
                redriven++;
            }
        }

        // Batches: an expansion whose next step's message was lost gets it again; a batch whose
        // finish was interrupted (results, notice) is finished.
        await foreach (var batch in batches.ListActiveAsync(cancellationToken).ConfigureAwait(false))
        {
            if (batch.Status == global::Jobs.Shared.Batches.BatchStatus.Expanding)
            {
                if (batch.UpdatedAt < cutoff)
                {
                    await queue.EnqueueBatchStepAsync(new global::Jobs.Shared.Batches.BatchMessage(batch.Id, batch.NextStep), cancellationToken).ConfigureAwait(false);
                    resent++;
                }

                continue;
            }

            await finisher.TryFinishAsync(batch.Id, cancellationToken).ConfigureAwait(false);
        }

        var report = new ReconcileReport(resent, redriven, notified, skipped);
        LogReport(logger, report.ToString());
        return report;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queued job's message overdue: re-sent (dispatch {From} -> {To})")]
    private static partial void LogResent(ILogger logger, int from, int to);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Running job's worker is gone: re-driven (dispatch {From} -> {To})")]
    private static partial void LogRedriven(ILogger logger, int from, int to);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Finished job ({Status}) lacked its notice: published")]
    private static partial void LogNotified(ILogger logger, string status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reconciled: {Report}")]
    private static partial void LogReport(ILogger logger, string report);
}
