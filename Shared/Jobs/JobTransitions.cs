namespace Jobs.Shared.Jobs;

/// <summary>
/// The job's state machine, in one table: every move a job can make, with its guard. The store
/// builds each event's conditional write from these rows and from nothing else, so a move the table
/// does not list is refused by DynamoDB itself; terminal statuses have no way out. The README's
/// "How a job moves" shows the same table, and a test keeps the two alike.
/// </summary>
public static class JobTransitions
{
    public static IReadOnlyList<JobTransition> All { get; } =
    [
        new(JobStatus.Queued, JobEvent.Claim, JobStatus.Running, JobGuard.DispatchMatches | JobGuard.Due),
        new(JobStatus.Running, JobEvent.Claim, JobStatus.Running, JobGuard.DispatchMatches | JobGuard.LeaseExpired),
        new(JobStatus.Running, JobEvent.Complete, JobStatus.Succeeded, JobGuard.AttemptMatches | JobGuard.NoCancelRequested),
        new(JobStatus.Running, JobEvent.Fail, JobStatus.Failed, JobGuard.AttemptMatches),
        new(JobStatus.Running, JobEvent.Retry, JobStatus.Queued, JobGuard.AttemptMatches | JobGuard.NoCancelRequested),
        new(JobStatus.Running, JobEvent.Defer, JobStatus.Queued, JobGuard.AttemptMatches | JobGuard.NoCancelRequested),
        new(JobStatus.Running, JobEvent.CancelByWorker, JobStatus.Canceled, JobGuard.AttemptMatches | JobGuard.CancelRequested),
        new(JobStatus.Queued, JobEvent.Cancel, JobStatus.Canceled, JobGuard.None),
        new(JobStatus.Running, JobEvent.RequestCancel, JobStatus.Running, JobGuard.None),
        new(JobStatus.Queued, JobEvent.FailUnclaimed, JobStatus.Failed, JobGuard.None),
        new(JobStatus.Running, JobEvent.FailUnclaimed, JobStatus.Failed, JobGuard.LeaseExpired),
        new(JobStatus.Queued, JobEvent.Redispatch, JobStatus.Queued, JobGuard.DispatchMatches),
        new(JobStatus.Running, JobEvent.Redispatch, JobStatus.Running, JobGuard.DispatchMatches | JobGuard.LeaseExpired),
        new(JobStatus.Succeeded, JobEvent.MarkNotified, JobStatus.Succeeded, JobGuard.NotNotified),
        new(JobStatus.Failed, JobEvent.MarkNotified, JobStatus.Failed, JobGuard.NotNotified),
        new(JobStatus.Canceled, JobEvent.MarkNotified, JobStatus.Canceled, JobGuard.NotNotified),
    ];

    public static bool IsTerminal(this JobStatus status) =>
        status is JobStatus.Succeeded or JobStatus.Failed or JobStatus.Canceled;

    /// <summary>The rows of one event.</summary>
    public static IReadOnlyList<JobTransition> For(JobEvent @event) => All.Where(t => t.Event == @event).ToList();

    /// <summary>Whether the table lets <paramref name="event"/> happen to a job in <paramref name="from"/> (guards aside).</summary>
    public static bool Allows(JobStatus from, JobEvent @event) => All.Any(t => t.From == from && t.Event == @event);

    /// <summary>
    /// The status an event leaves a job in: the same for all its rows, or null when the event keeps
    /// the status it found (a claim taken over, a redispatch, a notice recorded).
    /// </summary>
    public static JobStatus? Target(JobEvent @event)
    {
        var rows = For(@event);
        if (rows.All(t => t.From == t.To))
        {
            return null;
        }

        var targets = rows.Select(t => t.To).Distinct().ToList();
        return targets.Count == 1 ? targets[0] : throw new InvalidOperationException($"{@event} leads to more than one status.");
    }
}
