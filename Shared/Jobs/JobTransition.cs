namespace Jobs.Shared.Jobs;

/// <summary>One row of the job's state machine: in status <paramref name="From"/>, <paramref name="Event"/> moves it to <paramref name="To"/> when <paramref name="Guard"/> holds.</summary>
public sealed record JobTransition(JobStatus From, JobEvent Event, JobStatus To, JobGuard Guard);
