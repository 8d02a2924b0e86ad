using Jobs.Consumer.Notices;
using Jobs.Shared.Jobs;
using Jobs.Shared.Models;
using Jobs.Shared.Storage;

namespace Jobs.Consumer.Jobs;

/// <summary>
/// Publishes a finished job's notice. A worker's final write records the notice as sent and the
/// worker publishes right after; a job finished some other way (canceled while queued) has it
/// recorded after publishing. Either way a crash in between repeats the notice (same event id)
/// rather than losing it. The notice is built from the job the caller holds, not from another read.
/// </summary>
public sealed class JobNotifier(IJobStore store, IJobEvents events, ModelCatalog catalog, TimeProvider time, IBatchStore batches, Batches.BatchFinisher finisher)
{
    /// <summary>Publishes the finished job's notice (again, when a worker that recorded it may have died before publishing).</summary>
    public async Task PublishAsync(Job job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        await events.PublishAsync(NoticeFor(job), cancellationToken).ConfigureAwait(false);
        if (job.NotifiedAt is null)
        {
            await store.MarkNotifiedAsync(job.Id, job.Status, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        }

        await CountInBatchAsync(job, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A batch job's finish is counted in its batch after its notice: once (a mark on the job in the
    /// same transaction), and again-safe (a crash before it brings the job's message back here).
    /// </summary>
    private async Task CountInBatchAsync(Job job, CancellationToken cancellationToken)
    {
        if (job.BatchId is not { } batchId)
        {
            return;
        }

        if (!job.BatchCounted)
        {
            await batches.CountFinishedAsync(job, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        }

        await finisher.TryFinishAsync(batchId, cancellationToken).ConfigureAwait(false);
    }

    public async Task EnsureNotifiedAsync(Job job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (job.NotifiedAt is not null || !job.Status.IsTerminal())
        {
            return;
        }

        await events.PublishAsync(NoticeFor(job), cancellationToken).ConfigureAwait(false);
        await store.MarkNotifiedAsync(job.Id, job.Status, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        await CountInBatchAsync(job, cancellationToken).ConfigureAwait(false);
    }

    private JobNotice NoticeFor(Job job) =>
        JobNotices.For(job, catalog.TryGet(job.Request.Model, out var model) ? model.LifecycleOn(DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime)) : null);
}
