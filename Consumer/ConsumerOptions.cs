namespace Jobs.Consumer;

/// <summary>How the consumer works through a batch.</summary>
public sealed class ConsumerOptions
{
    /// <summary>
    /// Messages of one batch processed at once. Bedrock's image throughput, not the CPU, is the
    /// limit, so a few suffice. Environment: <c>JOBS_CONSUMER_CONCURRENCY</c>. Default 4 (1–10).
    /// </summary>
    public int MaxConcurrency { get; set; } = 4;

    /// <summary>
    /// Time kept back before the invocation deadline to send a job back to the queue (or store
    /// what finished) once generation runs out of budget. Default 3 s.
    /// </summary>
    public TimeSpan FinishMargin { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>The lease a claim takes when the invocation has no deadline (only outside Lambda). Default 15 min, Lambda's maximum.</summary>
    public TimeSpan FallbackLease { get; set; } = TimeSpan.FromMinutes(15);
}
