using Jobs.Shared.Jobs;
using Jobs.Shared.Storage;

namespace Jobs.Tests.Support;

/// <summary>The real DynamoDB job store, with a crash right after the job is marked succeeded.</summary>
public sealed class CrashingJobStore(IJobStore inner, CrashPoint crash) : IJobStore
{
    public Task<KeyedCreate> CreateWithKeyAsync(Job job, IdempotencyRecord key, DateTimeOffset now, CancellationToken cancellationToken) =>
        inner.CreateWithKeyAsync(job, key, now, cancellationToken);

    public async Task<JobWrite> CompleteAsync(string jobId, int attempt, IReadOnlyList<JobImage> images, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var done = await inner.CompleteAsync(jobId, attempt, images, now, cancellationToken).ConfigureAwait(false);
        crash.After();
        return done;
    }

    public Task CreateAsync(Job job, CancellationToken cancellationToken) => inner.CreateAsync(job, cancellationToken);

    public Task<Job?> GetAsync(string jobId, CancellationToken cancellationToken) => inner.GetAsync(jobId, cancellationToken);

    public Task<IReadOnlyDictionary<string, Job>> GetManyAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken) => inner.GetManyAsync(ids, cancellationToken);

    public Task<JobWrite> ClaimAsync(string jobId, int dispatch, DateTimeOffset leaseExpiresAt, DateTimeOffset now, CancellationToken cancellationToken) =>
        inner.ClaimAsync(jobId, dispatch, leaseExpiresAt, now, cancellationToken);

    public Task<JobWrite> FailAsync(string jobId, int attempt, JobError error, DateTimeOffset now, CancellationToken cancellationToken) =>
        inner.FailAsync(jobId, attempt, error, now, cancellationToken);

    public Task<JobWrite> RetryAsync(string jobId, int attempt, JobError reason, DateTimeOffset dueAt, DateTimeOffset now, CancellationToken cancellationToken) =>
        inner.RetryAsync(jobId, attempt, reason, dueAt, now, cancellationToken);

    public Task<JobWrite> DeferAsync(string jobId, int attempt, JobError reason, DateTimeOffset dueAt, DateTimeOffset? slotAt, DateTimeOffset now, CancellationToken cancellationToken) =>
        inner.DeferAsync(jobId, attempt, reason, dueAt, slotAt, now, cancellationToken);

    public Task<JobWrite> CancelByWorkerAsync(string jobId, int attempt, DateTimeOffset now, CancellationToken cancellationToken) =>
        inner.CancelByWorkerAsync(jobId, attempt, now, cancellationToken);

    public Task<JobWrite> CancelAsync(string jobId, DateTimeOffset now, CancellationToken cancellationToken) => inner.CancelAsync(jobId, now, cancellationToken);

    public Task<JobWrite> RequestCancelAsync(string jobId, DateTimeOffset now, CancellationToken cancellationToken) => inner.RequestCancelAsync(jobId, now, cancellationToken);

    public Task<JobWrite> FailUnclaimedAsync(string jobId, JobError error, DateTimeOffset now, CancellationToken cancellationToken) =>
        inner.FailUnclaimedAsync(jobId, error, now, cancellationToken);

    public Task<JobWrite> RedispatchAsync(string jobId, int dispatch, DateTimeOffset dueAt, DateTimeOffset now, CancellationToken cancellationToken) =>
        inner.RedispatchAsync(jobId, dispatch, dueAt, now, cancellationToken);

    public Task<JobWrite> MarkNotifiedAsync(string jobId, JobStatus status, DateTimeOffset now, CancellationToken cancellationToken) => inner.MarkNotifiedAsync(jobId, status, now, cancellationToken);

    public Task<JobPage> ListByStatusAsync(string owner, JobStatus status, int limit, string? cursor, CancellationToken cancellationToken, JobListFilter? filter = null) =>
        inner.ListByStatusAsync(owner, status, limit, cursor, cancellationToken, filter);

    public IAsyncEnumerable<Job> ListStrandedAsync(DateTimeOffset cutoff, CancellationToken cancellationToken) =>
        inner.ListStrandedAsync(cutoff, cancellationToken);
}
