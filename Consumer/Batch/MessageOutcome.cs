namespace Jobs.Consumer.Batch;

/// <summary>
/// What became of one message: acknowledged (delete it) or to be delivered again. A class with
/// named constructors, not a bool, so each outcome carries its reason into the logs.
/// </summary>
public sealed class MessageOutcome
{
    private MessageOutcome(bool acknowledged, string reason)
    {
        IsAcknowledged = acknowledged;
        Reason = reason;
    }

    public bool IsAcknowledged { get; }

    public string Reason { get; }

    /// <summary>The message is finished with; it may be deleted.</summary>
    public static MessageOutcome Acknowledge(string reason) => new(true, reason);

    /// <summary>The message must come back later (reported in <c>batchItemFailures</c>).</summary>
    public static MessageOutcome Retry(string reason) => new(false, reason);

    public override string ToString() => (IsAcknowledged ? "acknowledged: " : "retry: ") + Reason;
}
