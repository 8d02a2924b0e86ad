using Jobs.Shared.Jobs;

namespace Jobs.Consumer.Notices;

/// <summary>
/// The <c>batch.completed</c> notice: sent once when a batch's last job ends (or its manifest could
/// not be read), with exact counts and where the results file is. The event id repeats if a crash
/// makes it go out again.
/// </summary>
public sealed record BatchNotice
{
    public required string EventId { get; init; }
    public string Type { get; init; } = "batch.completed";
    public required string BatchId { get; init; }
    /// <summary><c>completed</c>, <c>canceled</c> or <c>failed</c>.</summary>
    public required string Status { get; init; }
    public required string Owner { get; init; }
    public int Total { get; init; }
    public int Invalid { get; init; }
    public int Skipped { get; init; }
    public int Succeeded { get; init; }
    public int Failed { get; init; }
    public int Canceled { get; init; }
    /// <summary>The results file, <c>s3://bucket/key</c>.</summary>
    public string? Results { get; init; }
    public JobError? Error { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }
}
