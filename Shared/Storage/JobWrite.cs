using Jobs.Shared.Jobs;

namespace Jobs.Shared.Storage;

/// <summary>
/// What one conditional write did: applied (with the job as it now is), or refused (with the job as
/// it was, read from the failed condition itself, or null when there is no such job). A class with
/// named constructors rather than a bool, so a caller that lost a race has the winner's state in
/// hand without another read.
/// </summary>
public sealed class JobWrite
{
    private JobWrite(bool applied, Job? job)
    {
        IsApplied = applied;
        Job = job;
    }

    public bool IsApplied { get; }

    /// <summary>The job after the write when applied; as found when refused; null when it does not exist.</summary>
    public Job? Job { get; }

    public static JobWrite Applied(Job job) => new(true, job ?? throw new ArgumentNullException(nameof(job)));

    public static JobWrite Refused(Job? current) => new(false, current);

    public override string ToString() => (IsApplied ? "applied" : "refused") + (Job is null ? " (no job)" : $" ({Job.Status.ToName()}, dispatch {Job.Dispatch}, attempt {Job.Attempts})");
}
