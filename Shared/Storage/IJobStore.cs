using Jobs.Shared.Jobs;

namespace Jobs.Shared.Storage;

/// <summary>
/// Job persistence. Every status change is one conditional write: a method that returns
/// <c>false</c> or <c>null</c> lost a race or met a job already past that step, and changed nothing.
/// </summary>
public interface IJobStore
{
    /// <summary>Writes a new queued job; throws if the id exists.</summary>
    Task CreateAsync(Job job, CancellationToken cancellationToken);

    Task<Job?> GetAsync(string jobId, CancellationToken cancellationToken);

    /// <summary>Removes a job that is still queued (used when its message could not be sent).</summary>
    Task<bool> DeleteQueuedAsync(string jobId, CancellationToken cancellationToken);

    /// <summary>
    /// Moves a queued job, or a running one whose lease has expired, to running; returns the
    /// claimed job with its new attempt number, or null when the job is not claimable.
    /// </summary>
    Task<Job?> TryClaimAsync(string jobId, DateTimeOffset now, DateTimeOffset leaseExpiresAt, CancellationToken cancellationToken);

    Task<bool> TryCompleteAsync(string jobId, int attempt, IReadOnlyList<JobImage> images, DateTimeOffset now, CancellationToken cancellationToken);

    Task<bool> TryFailAsync(string jobId, int attempt, JobError error, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Sends a running job back to queued (a retryable error), keeping the reason.</summary>
    Task<bool> TryRequeueAsync(string jobId, int attempt, JobError reason, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Sends a running job back to queued because Bedrock had no capacity: the attempt is handed
    /// back and <see cref="Job.Deferrals"/> grows, so throttling never uses up a job's tries.
    /// </summary>
    Task<bool> TryDeferAsync(string jobId, int attempt, JobError reason, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Cancels a running job whose cancel was requested, from the worker holding that attempt.</summary>
    Task<bool> TryCancelRunningAsync(string jobId, int attempt, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Cancels a queued job at once.</summary>
    Task<bool> TryCancelQueuedAsync(string jobId, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Asks the worker of a running job to cancel it before storing its result.</summary>
    Task<bool> TryRequestCancelAsync(string jobId, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Fails a job no live worker holds (queued, or running past its lease): expiry and dead letters.</summary>
    Task<bool> TryFailUnclaimedAsync(string jobId, JobError error, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Records that the job's final notice was published; the first time wins.</summary>
    Task MarkNotifiedAsync(string jobId, DateTimeOffset now, CancellationToken cancellationToken);

    Task<JobPage> ListByStatusAsync(JobStatus status, int limit, string? cursor, CancellationToken cancellationToken);
}
