namespace Jobs.Shared.Jobs;

/// <summary>The conditions, beyond the status, under which a transition may happen.</summary>
[Flags]
public enum JobGuard
{
    None = 0,

    /// <summary>The message names the job's current dispatch: a stale copy changes nothing.</summary>
    DispatchMatches = 1,

    /// <summary>The writer holds the current claim (its attempt number): a superseded worker changes nothing.</summary>
    AttemptMatches = 2,

    /// <summary>The claim's lease has ended, so no live worker holds the job.</summary>
    LeaseExpired = 4,

    /// <summary>No client has asked to cancel: the job may still run.</summary>
    NoCancelRequested = 8,

    /// <summary>A client has asked to cancel.</summary>
    CancelRequested = 16,

    /// <summary>The final notice has not been recorded yet.</summary>
    NotNotified = 32,

    /// <summary>The job's message is due (a message that came early, SQS delaying 15 minutes at most, does not start it).</summary>
    Due = 64,
}
