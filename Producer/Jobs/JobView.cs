using Jobs.Shared.Jobs;

namespace Jobs.Producer.Jobs;

/// <summary>A job on the wire: its status, the request as validated (defaults filled in), and its outcome.</summary>
public sealed record JobView
{
    public required string Id { get; init; }
    public required JobStatus Status { get; init; }
    public required string Model { get; init; }
    public required string Prompt { get; init; }
    public string? NegativePrompt { get; init; }
    public string? AspectRatio { get; init; }
    public int? Width { get; init; }
    public int? Height { get; init; }
    public long Seed { get; init; }
    public int Count { get; init; }
    public required string OutputFormat { get; init; }
    public int Attempts { get; init; }
    public JobError? Error { get; init; }
    public IReadOnlyList<ImageView> Images { get; init; } = [];
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }
    public DateTimeOffset? NotifiedAt { get; init; }
}
