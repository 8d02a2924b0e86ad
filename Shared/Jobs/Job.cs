using Jobs.Shared.Storage;
namespace Jobs.Shared.Jobs;

/// <summary>
/// The job item: the single source of truth for a job. The queue message carries only the id,
/// so everything a worker needs is read from here.
/// </summary>
public sealed record Job
{
    public required string Id { get; init; }
    public required JobStatus Status { get; init; }
    public required JobRequest Request { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
    /// <summary>How many times a worker has claimed the job; each claim's number fences its later writes.</summary>
    public int Attempts { get; init; }
    public JobError? Error { get; init; }
    public IReadOnlyList<JobImage> Images { get; init; } = [];
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }
    public DateTimeOffset? NotifiedAt { get; init; }
    /// <summary>When a running claim stops protecting the job from other workers (the claiming invocation's deadline).</summary>
    public DateTimeOffset? LeaseExpiresAt { get; init; }
    /// <summary>When DynamoDB's TTL removes the item.</summary>
    public required DateTimeOffset ExpiresAt { get; init; }
    public string? IdempotencyKey { get; init; }

    /// <summary>Who made the job (the caller's IAM principal or token subject): only they see it.</summary>
    public string Owner { get; init; } = JobTable.AnonymousOwner;
    /// <summary>Set when a client cancels a running job; the worker cancels instead of storing its result.</summary>
    public DateTimeOffset? CancelRequestedAt { get; init; }

    /// <summary>The client's deadline (<c>deadlineSeconds</c> after submission): a job not started by then never starts and fails <c>expired</c>.</summary>
    public DateTimeOffset? StartBy { get; init; }
    /// <summary>How many times the job went back to the queue because Bedrock had no capacity; never counts toward attempts.</summary>
    public int Deferrals { get; init; }
    /// <summary>
    /// The number of the job's one live message. Every fresh message (a retry, a deferral, a resend)
    /// takes the next number, so a copy of an older one is recognised as stale and does nothing.
    /// </summary>
    public int Dispatch { get; init; } = 1;
    /// <summary>When a queued job's message is due; the reconciler re-sends the message of a job overdue by its margin.</summary>
    public DateTimeOffset? DueAt { get; init; }
    /// <summary>Set when the job was answered from the images an identical earlier request made (that job's id): no Bedrock call, no quota.</summary>
    public string? CachedFrom { get; init; }
    /// <summary>A slot the job holds in its model's pace, reserved when it was sent back to wait for it; its next attempt uses it instead of taking another.</summary>
    public DateTimeOffset? SlotAt { get; init; }

    /// <summary>The batch the job belongs to, if any; its finish is counted in the batch once.</summary>
    public string? BatchId { get; init; }
    /// <summary>The item's place in its batch's manifest (from 0).</summary>
    public int? BatchIndex { get; init; }
    /// <summary>The client's own id for the item (e.g. <c>A0001</c>), unique in its batch.</summary>
    public string? ClientId { get; init; }
    /// <summary>The client's free attributes for the item, carried to the notice and the results.</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }
    /// <summary>Where the client wants the image written as well, in a bucket the deployment allows.</summary>
    public Batches.OutputLocation? Output { get; init; }
    /// <summary>Set in the same write that counts the finished job in its batch, so it is counted once.</summary>
    public bool BatchCounted { get; init; }
}
