namespace Jobs.Consumer.Pacing;

/// <summary>
/// One model's bucket as stored (times are epoch milliseconds). <see cref="Tat"/> is GCRA's
/// theoretical arrival time: the moment the next call would be due if calls came exactly at
/// <see cref="Rate"/>; a call may go once the clock is within the burst tolerance of it.
/// </summary>
public sealed record PaceState(long Tat, double Rate, long ThrottledAt, long IncreasedAt);
