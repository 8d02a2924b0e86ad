namespace Jobs.Shared.Jobs;

/// <summary>
/// The status machine. The store turns each allowed move into one conditional write whose
/// condition is the <c>from</c> status, so duplicate deliveries and races can only lose the
/// write, never corrupt the job; terminal statuses have no way out.
/// </summary>
public static class JobTransitions
{
    public static bool IsTerminal(this JobStatus status) =>
        status is JobStatus.Succeeded or JobStatus.Failed or JobStatus.Canceled;

    public static bool IsAllowed(JobStatus from, JobStatus to) => (from, to) switch
    {
        (JobStatus.Queued, JobStatus.Running) => true,
        (JobStatus.Queued, JobStatus.Canceled) => true,
        (JobStatus.Running, JobStatus.Succeeded) => true,
        (JobStatus.Running, JobStatus.Failed) => true,
        (JobStatus.Running, JobStatus.Queued) => true,
        // A claim whose lease ran out (the worker died) may be taken over by another worker.
        (JobStatus.Running, JobStatus.Running) => true,
        _ => false,
    };
}
