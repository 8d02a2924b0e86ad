using Jobs.Shared.Jobs;

namespace Jobs.Shared.Storage;

/// <summary>
/// Job persistence. Every method after <see cref="CreateAsync"/> is one event of
/// <see cref="JobTransitions"/>: one conditional write that either moves the job as the table says
/// or changes nothing, returning the job as it then is either way.
/// </summary>
public interface IJobStore
{
    /// <summary>Writes a new queued job; throws if the id exists.</summary>
    Task CreateAsync(Job job, CancellationToken cancellationToken);

    /// <summary>
    /// Creates the job and the record of its idempotency key in one transaction, so two racing
    /// requests with one key make one job; when the key is held (and not expired at
    /// <paramref name="now"/>) nothing is written and the holder's record is returned.
    /// </summary>
    Task<KeyedCreate> CreateWithKeyAsync(Job job, IdempotencyRecord key, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>The jobs of <paramref name="ids"/> that exist, by id (eventually consistent, a hundred per request).</summary>
    Task<IReadOnlyDictionary<string, Job>> GetManyAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken);

    /// <summary>The job, read consistently; null when there is none.</summary>
    Task<Job?> GetAsync(string jobId, CancellationToken cancellationToken);

    /// <summary>Takes the job for an attempt, for the message of <paramref name="dispatch"/>; the claim's lease ends at <paramref name="leaseExpiresAt"/>.</summary>
    Task<JobWrite> ClaimAsync(string jobId, int dispatch, DateTimeOffset leaseExpiresAt, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Stores the result. The write also records the notice as sent: the worker publishes it right
    /// after, and if it dies first its message (the job's current dispatch) comes back and publishes
    /// again, so a separate write per job is saved without a notice being lost. So do the other
    /// final writes a worker makes.
    /// </summary>
    Task<JobWrite> CompleteAsync(string jobId, int attempt, IReadOnlyList<JobImage> images, DateTimeOffset now, CancellationToken cancellationToken);

    Task<JobWrite> FailAsync(string jobId, int attempt, JobError error, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Sends the job back to wait for a fresh message due at <paramref name="dueAt"/> after a passing error; the attempt counts.</summary>
    Task<JobWrite> RetryAsync(string jobId, int attempt, JobError reason, DateTimeOffset dueAt, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Sends the job back for lack of Bedrock capacity: the attempt is handed back and
    /// <see cref="Job.Deferrals"/> grows; <paramref name="slotAt"/> is the pace slot it was given, if any.
    /// </summary>
    Task<JobWrite> DeferAsync(string jobId, int attempt, JobError reason, DateTimeOffset dueAt, DateTimeOffset? slotAt, DateTimeOffset now, CancellationToken cancellationToken);

    Task<JobWrite> CancelByWorkerAsync(string jobId, int attempt, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>The client cancels a queued job.</summary>
    Task<JobWrite> CancelAsync(string jobId, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>The client asks the worker of a running job to cancel it; asking again changes nothing.</summary>
    Task<JobWrite> RequestCancelAsync(string jobId, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Fails a job no live worker holds (queued, or running past its lease): expiry, dead letters.</summary>
    Task<JobWrite> FailUnclaimedAsync(string jobId, JobError error, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Replaces the message of <paramref name="dispatch"/> with the next one, due at <paramref name="dueAt"/>.</summary>
    Task<JobWrite> RedispatchAsync(string jobId, int dispatch, DateTimeOffset dueAt, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Records that the job's final notice was published (the first time wins) and lists it under
    /// its final <paramref name="status"/>, if it was still listed with the active jobs.
    /// </summary>
    Task<JobWrite> MarkNotifiedAsync(string jobId, JobStatus status, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// The <paramref name="owner"/>'s jobs in <paramref name="status"/>, newest first. A page can
    /// hold fewer than <paramref name="limit"/> jobs and still have a next cursor: queued and
    /// running jobs share one index partition, and a job can change status between the index and
    /// its read. A job canceled while queued is listed as canceled once its notice is sent.
    /// </summary>
    Task<JobPage> ListByStatusAsync(string owner, JobStatus status, int limit, string? cursor, CancellationToken cancellationToken, JobListFilter? filter = null);

    /// <summary>
    /// Jobs the reconciler must act on, found through the listing index's active partition and
    /// read consistently: queued jobs whose message was due before <paramref name="cutoff"/>,
    /// running jobs whose lease ended before it, and finished jobs that completed before it
    /// without a recorded notice.
    /// </summary>
    IAsyncEnumerable<Job> ListStrandedAsync(DateTimeOffset cutoff, CancellationToken cancellationToken);
}
