using Jobs.Shared.Jobs;

namespace Jobs.Shared.Batches;

/// <summary>One line of a batch's results file (JSON Lines), one per manifest item, in manifest order.</summary>
public sealed record BatchResultLine
{
    public required int Index { get; init; }
    public string? Id { get; init; }
    /// <summary>Absent for an item that never became a job (invalid, or skipped by a cancel).</summary>
    public string? JobId { get; init; }
    /// <summary>A job status, or <c>invalid</c> / <c>skipped</c>.</summary>
    public required string Status { get; init; }
    public Dictionary<string, string>? Metadata { get; init; }
    /// <summary>Each image as <c>s3://bucket/key</c>, the client's output location first when it gave one.</summary>
    public IReadOnlyList<string>? Images { get; init; }
    public JobError? Error { get; init; }
}
