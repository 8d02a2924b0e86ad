using Jobs.Shared.Batches;
using Jobs.Shared.Jobs;

namespace Jobs.Producer.Batches;

/// <summary>A batch on the wire: where its expansion is, exact counts of its jobs by outcome, and its results once done.</summary>
public sealed record BatchView
{
    public required string Id { get; init; }
    public required BatchStatus Status { get; init; }
    /// <summary>Items in the manifest; absent until it has been read.</summary>
    public int? Total { get; init; }
    public required BatchCounts Counts { get; init; }
    public JobError? Error { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? CancelRequestedAt { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }
    /// <summary>A presigned link to the results file (JSON Lines, one line per item) once the batch is done.</summary>
    public Uri? ResultsUrl { get; init; }
    public required BatchUrls Urls { get; init; }
}
