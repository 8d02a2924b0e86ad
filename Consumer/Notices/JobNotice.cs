using Jobs.Shared.Jobs;
using Jobs.Shared.Models;

namespace Jobs.Consumer.Notices;

/// <summary>
/// The SNS message for a job's final status. <see cref="EventId"/> is the same every time the
/// notice for one outcome is published, so subscribers can drop the repeats that at-least-once
/// delivery and consumer retries produce.
/// </summary>
public sealed record JobNotice
{
    public required string EventId { get; init; }
    /// <summary><c>job.succeeded</c>, <c>job.failed</c> or <c>job.canceled</c>.</summary>
    public required string Type { get; init; }
    public required string JobId { get; init; }
    public required JobStatus Status { get; init; }
    public required string Model { get; init; }

    /// <summary>Who made the job (also a message attribute, so a subscription can take one owner's notices only).</summary>
    public string? Owner { get; init; }
    /// <summary>S3 URIs (<c>s3://bucket/key</c>) of the images; empty unless succeeded.</summary>
    public required IReadOnlyList<string> Images { get; init; }
    public JobError? Error { get; init; }
    public required int Attempts { get; init; }

    /// <summary>Times the job went back to wait for Bedrock capacity.</summary>
    public int Deferrals { get; init; }

    /// <summary>The model's lifecycle when the job ended: a subscriber sees a model going away before it does.</summary>
    public ModelLifecycle? ModelLifecycle { get; init; }

    /// <summary>Milliseconds from submission to the first start.</summary>
    public long? QueuedMs { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }
    /// <summary>Milliseconds from submission to the final status.</summary>
    public long? TotalMs { get; init; }
    /// <summary>Milliseconds from the first claim to the final status.</summary>
    public long? RunMs { get; init; }

    /// <summary>The batch the job belongs to (also a message attribute, with the client id, so a subscriber can take one batch's notices or batch-level ones only).</summary>
    public string? BatchId { get; init; }
    public string? ClientId { get; init; }
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }
}
