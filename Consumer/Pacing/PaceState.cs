namespace Jobs.Consumer.Pacing;

/// <summary>
/// One model's bucket as stored (times are epoch milliseconds). <see cref="Tat"/> is GCRA's
/// theoretical arrival time: the moment the next call would be due if calls came exactly at
/// <see cref="Rate"/>; a call may go once the clock is within the burst tolerance of it.
/// Batch jobs have two more marks: <see cref="BulkTat"/>, the next slot of their guaranteed share
/// (kept free by single jobs spacing themselves out while batch jobs wait), and
/// <see cref="BulkLine"/>, when the next batch job turned away should come back, so a deep backlog
/// waits in line instead of asking again and again. <see cref="SinglesUntil"/> is the last slot
/// single jobs booked, which says whether batch jobs can count on more than their share.
/// <see cref="Version"/> changes with every write; writes are conditional on it.
/// </summary>
public sealed record PaceState(long Tat, double Rate, long ThrottledAt, long IncreasedAt, long BulkTat = 0, long BulkLine = 0, long SinglesUntil = 0, long Version = 0);
