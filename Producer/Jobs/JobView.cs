using Jobs.Shared.Jobs;
using Jobs.Shared.Models;

namespace Jobs.Producer.Jobs;

/// <summary>A job on the wire: its status, the request as validated (defaults filled in), and its outcome.</summary>
public sealed record JobView
{
    public required string Id { get; init; }
    public required JobStatus Status { get; init; }
    public required string Model { get; init; }

    /// <summary>What the job does: <c>text-to-image</c>, or a task that reads <see cref="Inputs"/>.</summary>
    public string Task { get; init; } = Shared.Models.Tasks.ImageTasks.TextToImage;

    /// <summary>The task's input images, each with its hash; absent for text-to-image.</summary>
    public IReadOnlyList<InputView>? Inputs { get; init; }

    /// <summary>The task's parameters as given (numbers as text); absent when none.</summary>
    public IReadOnlyDictionary<string, string>? Parameters { get; init; }

    /// <summary>The model's lifecycle today (<c>active</c>, <c>legacy</c>, <c>end-of-life</c>): a legacy model's jobs work until its date.</summary>
    public ModelLifecycle? ModelLifecycle { get; init; }
    public required string Prompt { get; init; }
    public string? NegativePrompt { get; init; }
    public string? AspectRatio { get; init; }
    public int? Width { get; init; }
    public int? Height { get; init; }
    public long Seed { get; init; }
    public int Count { get; init; }
    public required string OutputFormat { get; init; }
    public string? Style { get; init; }
    public string? Quality { get; init; }
    public double? CfgScale { get; init; }
    public int? Steps { get; init; }
    /// <summary>True when the images came from an identical earlier request (<see cref="CachedFrom"/>): no model was called.</summary>
    public bool Cached { get; init; }
    /// <summary>The earlier job whose images these are.</summary>
    public string? CachedFrom { get; init; }
    /// <summary>Tries that ended in a real error or a result; waits for Bedrock capacity are not counted.</summary>
    public int Attempts { get; init; }
    /// <summary>
    /// What the job's images cost on Bedrock at the model's list price (images asked for times the
    /// price at the requested quality); zero when they came from the cache; absent for a model without
    /// a known price. An estimate, not a bill.
    /// </summary>
    public decimal? EstimatedCostUsd { get; init; }
    /// <summary>Times the job went back to the queue because Bedrock was throttling.</summary>
    public int Deferrals { get; init; }
    /// <summary>Why a failed job failed, or why a queued job is waiting to be tried again.</summary>
    public JobError? Error { get; init; }
    public DateTimeOffset? CancelRequestedAt { get; init; }

    /// <summary>When the job must have started by, if the client gave <c>deadlineSeconds</c>.</summary>
    public DateTimeOffset? StartBy { get; init; }
    public IReadOnlyList<ImageView> Images { get; init; } = [];

    public required JobUrls Urls { get; init; }

    public required JobTimings Metrics { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }
    public DateTimeOffset? NotifiedAt { get; init; }
}
