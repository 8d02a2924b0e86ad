namespace Jobs.Producer.Jobs;

/// <summary>
/// How the job's time was spent, in milliseconds: waiting in the queue until its first start, and
/// from then to its end (Bedrock's answers, retries and waits for capacity included); with the
/// attempts and the deferrals for capacity that explain a long one.
/// </summary>
public sealed record JobTimings(long? QueuedMs, long? GenerateMs, long? TotalMs, int Attempts, int Deferrals);
