using Jobs.Shared.Jobs;
using Jobs.Consumer.Notices;
using Jobs.Shared.Storage;

namespace Jobs.Consumer.Jobs;

/// <summary>
/// Publishes a finished job's notice unless it is recorded as sent. Publish comes before the
/// record, so a crash between the two repeats the notice (same event id) rather than losing it.
/// </summary>
public sealed class JobNotifier(IJobStore store, IJobEvents events, TimeProvider time)
{
    public async Task EnsureNotifiedAsync(Job job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (job.NotifiedAt is not null || !job.Status.IsTerminal())
        {
            return;
        }

        await events.PublishAsync(JobNotices.For(job), cancellationToken).ConfigureAwait(false);
        await store.MarkNotifiedAsync(job.Id, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads the job as it now is and notifies if it is finished.</summary>
    public async Task EnsureNotifiedAsync(string jobId, CancellationToken cancellationToken)
    {
        if (await store.GetAsync(jobId, cancellationToken).ConfigureAwait(false) is { } job)
        {
            await EnsureNotifiedAsync(job, cancellationToken).ConfigureAwait(false);
        }
    }
}
