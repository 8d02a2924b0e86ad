using Jobs.Shared.Batches;
using Jobs.Shared.Jobs;

namespace Jobs.Shared.Storage;

/// <summary>
/// The batch items, in the jobs table. Each method is one conditional write tied to the step it
/// belongs to, so a step that runs twice (a redelivered message, a crash and a retry) changes nothing the second time.
/// </summary>
public interface IBatchStore
{
    Task CreateAsync(Batch batch, CancellationToken cancellationToken);

    Task<Batch?> GetAsync(string batchId, CancellationToken cancellationToken);

    /// <summary>Step 0 done: the manifest's size, its bad items and its chunks; false when step 0 was already recorded.</summary>
    Task<bool> RecordManifestAsync(string batchId, int total, int invalid, int chunks, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Step <paramref name="step"/> made <paramref name="created"/> jobs; the last step sets the batch running. False when it was already recorded.</summary>
    Task<bool> AdvanceAsync(string batchId, int step, int created, bool last, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>A cancel stops the expansion at <paramref name="step"/>: the items not yet made are skipped.</summary>
    Task<bool> StopExpansionAsync(string batchId, int step, int skipped, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>The manifest could not be read at all.</summary>
    Task<bool> FailAsync(string batchId, JobError error, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Counts a finished job in its batch, in one transaction with a mark on the job; false when it was already counted.</summary>
    Task<bool> CountFinishedAsync(Job job, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Running with nothing remaining: completed (or canceled, when a cancel was asked for). False when it was not yet due or already done.</summary>
    Task<bool> CompleteAsync(string batchId, BatchStatus status, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Takes the right to publish the batch's notice until <paramref name="until"/>: two finishers
    /// racing (the last job's worker and the last expansion step) publish it once; a holder that dies
    /// lets the next one publish after the lease.
    /// </summary>
    Task<bool> ClaimNoticeAsync(string batchId, DateTimeOffset until, DateTimeOffset now, CancellationToken cancellationToken);

    Task<bool> MarkNotifiedAsync(string batchId, string resultsKey, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Asks for the batch to be canceled; false when it has already finished.</summary>
    Task<bool> RequestCancelAsync(string batchId, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>The owner's batches created before <paramref name="before"/> (all when null), newest first, and whether more follow.</summary>
    Task<(IReadOnlyList<Batch> Items, bool More)> ListAsync(string owner, int limit, DateTimeOffset? before, CancellationToken cancellationToken);

    /// <summary>Batches not yet finished and notified, for the reconciler.</summary>
    IAsyncEnumerable<Batch> ListActiveAsync(CancellationToken cancellationToken);
}
