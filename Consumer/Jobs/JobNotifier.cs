using Jobs.Consumer.Notices;
using Jobs.Shared.Jobs;
using Jobs.Shared.Storage;

namespace Jobs.Consumer.Jobs;

/// <summary>
/// Publishes a finished job's notice unless it is recorded as sent. Publish comes before the
/// record, so a crash between the two repeats the notice (same event id) rather than losing it;
/// the notice is built from the job the caller already holds, not from another read.
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
}
