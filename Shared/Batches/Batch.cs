using Jobs.Shared.Jobs;

namespace Jobs.Shared.Batches;

/// <summary>
/// The batch item: its manifest, how far its expansion got, and exact counts of its finished jobs
/// (each job's finish is counted in one transaction with a mark on the job, so never twice).
/// </summary>
public sealed record Batch
{
    public required string Id { get; init; }
    public required string Owner { get; init; }
    public required BatchStatus Status { get; init; }
    /// <summary>The manifest in S3 (the service's own copy for inline items).</summary>
    public required OutputLocation Manifest { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
    public required DateTimeOffset ExpiresAt { get; init; }
    /// <summary>The next expansion step (0 reads the manifest; k creates chunk k-1's jobs).</summary>
    public int NextStep { get; init; }
    /// <summary>Chunk files the manifest was split into; known after step 0.</summary>
    public int? Chunks { get; init; }
    /// <summary>Items in the manifest; known after step 0.</summary>
    public int? Total { get; init; }
    /// <summary>Items that cannot become jobs (named in the results).</summary>
    public int Invalid { get; init; }
    /// <summary>Jobs made so far.</summary>
    public int Created { get; init; }
    /// <summary>Items that will never become jobs because the batch was canceled first.</summary>
    public int Skipped { get; init; }
    /// <summary>Jobs not yet finished and counted; the batch is done when it reaches 0 after expansion.</summary>
    public int? Remaining { get; init; }
    public int Succeeded { get; init; }
    public int Failed { get; init; }
    public int Canceled { get; init; }
    public DateTimeOffset? CancelRequestedAt { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }
    public DateTimeOffset? NotifiedAt { get; init; }
    /// <summary>The results file's key, once written.</summary>
    public string? ResultsKey { get; init; }
    public JobError? Error { get; init; }
}
