namespace Jobs.Shared.Jobs;

/// <summary>What can happen to a job. Each is one conditional write, built from <see cref="JobTransitions"/>.</summary>
public enum JobEvent
{
    /// <summary>A worker takes the job for an attempt (or takes over from a worker that died).</summary>
    Claim,

    /// <summary>The attempt stored every image.</summary>
    Complete,

    /// <summary>The attempt met a final error, or its job used its last try.</summary>
    Fail,

    /// <summary>The attempt met a passing error; a fresh message brings the job back after a backoff.</summary>
    Retry,

    /// <summary>Bedrock had no capacity: the attempt is handed back and the job waits on a fresh, delayed message.</summary>
    Defer,

    /// <summary>The worker holding the attempt saw the client's cancel and ends the job.</summary>
    CancelByWorker,

    /// <summary>The client cancels a job no worker holds.</summary>
    Cancel,

    /// <summary>The client asks the worker of a running job to cancel it.</summary>
    RequestCancel,

    /// <summary>Expiry, a dead letter, a job that can no longer run: failed while no live worker holds it.</summary>
    FailUnclaimed,

    /// <summary>A fresh message replaces the job's current one (the job could not start in time, or its message is overdue).</summary>
    Redispatch,

    /// <summary>The job's final notice was published.</summary>
    MarkNotified,
}
