using Jobs.Shared.Jobs;
using Jobs.Shared.Storage;

namespace Jobs.Tests.Support;

/// <summary>The real DynamoDB job store, with a crash right after the job is marked succeeded.</summary>
public sealed class CrashingJobStore(IJobStore inner, CrashPoint crash) : IJobStore
{
    public async Task<bool> TryCompleteAsync(string jobId, int attempt, IReadOnlyList<JobImage> images, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var done = await inner.TryCompleteAsync(jobId, attempt, images, now, cancellationToken).ConfigureAwait(false);
        crash.After();
        return done;
    }

    public Task CreateAsync(Job job, CancellationToken cancellationToken) => inner.CreateAsync(job, cancellationToken);

    public Task<Job?> GetAsync(string jobId, CancellationToken cancellationToken) => inner.GetAsync(jobId, cancellationToken);

    public Task<bool> DeleteQueuedAsync(string jobId, CancellationToken cancellationToken) => inner.DeleteQueuedAsync(jobId, cancellationToken);

    public Task<Job?> TryClaimAsync(string jobId, DateTimeOffset now, DateTimeOffset leaseExpiresAt, CancellationToken cancellationToken) =>
        inner.TryClaimAsync(jobId, now, leaseExpiresAt, cancellationToken);

    public Task<bool> TryFailAsync(string jobId, int attempt, JobError error, DateTimeOffset now, CancellationToken cancellationToken) =>
        inner.TryFailAsync(jobId, attempt, error, now, cancellationToken);

    public Task<bool> TryRequeueAsync(string jobId, int attempt, JobError reason, DateTimeOffset now, CancellationToken cancellationToken) =>
        inner.TryRequeueAsync(jobId, attempt, reason, now, cancellationToken);

    public Task<bool> TryDeferAsync(string jobId, int attempt, JobError reason, DateTimeOffset now, CancellationToken cancellationToken) =>
        inner.TryDeferAsync(jobId, attempt, reason, now, cancellationToken);

    public Task<bool> TryCancelRunningAsync(string jobId, int attempt, DateTimeOffset now, CancellationToken cancellationToken) =>
        inner.TryCancelRunningAsync(jobId, attempt, now, cancellationToken);

    public Task<bool> TryCancelQueuedAsync(string jobId, DateTimeOffset now, CancellationToken cancellationToken) =>
        inner.TryCancelQueuedAsync(jobId, now, cancellationToken);

    public Task<bool> TryRequestCancelAsync(string jobId, DateTimeOffset now, CancellationToken cancellationToken) =>
        inner.TryRequestCancelAsync(jobId, now, cancellationToken);

    public Task<bool> TryFailUnclaimedAsync(string jobId, JobError error, DateTimeOffset now, CancellationToken cancellationToken) =>
        inner.TryFailUnclaimedAsync(jobId, error, now, cancellationToken);

    public Task MarkNotifiedAsync(string jobId, DateTimeOffset now, CancellationToken cancellationToken) => inner.MarkNotifiedAsync(jobId, now, cancellationToken);

    public Task<JobPage> ListByStatusAsync(JobStatus status, int limit, string? cursor, CancellationToken cancellationToken) =>
        inner.ListByStatusAsync(status, limit, cursor, cancellationToken);
}
