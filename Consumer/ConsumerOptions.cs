namespace Jobs.Consumer;

/// <summary>How the consumer works through a batch and how long it keeps trying a job.</summary>
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

    /// <summary>
    /// The queue's redrive <c>maxReceiveCount</c>. On the last receive a job that failed with a
    /// retryable error is failed (<c>retries_exhausted</c>) instead of being left to the dead-letter
    /// queue. Environment: <c>JOBS_MAX_RECEIVES</c>. Default 5.
    /// </summary>
    public int MaxReceives { get; set; } = 5;

    /// <summary>
    /// How long a job may wait in all before it fails with <c>expired</c>, however often Bedrock
    /// throttled it. Environment: <c>JOBS_JOB_DEADLINE_HOURS</c>. Default 24 h.
    /// </summary>
    public TimeSpan JobDeadline { get; set; } = TimeSpan.FromHours(24);

    /// <summary>First delay before a throttled job is tried again; it doubles with each deferral. Default 5 s.</summary>
    public TimeSpan DeferralBaseDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Longest delay before a throttled job is tried again. Default 15 min, SQS's maximum message delay.</summary>
    public TimeSpan DeferralMaxDelay { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>ARN of the dead-letter queue; its messages fail their jobs. Environment: <c>JOBS_DEAD_LETTER_QUEUE_ARN</c>.</summary>
    public string? DeadLetterQueueArn { get; set; }

    /// <summary>The delay before the <paramref name="deferral"/>-th retry of a throttled job: exponential, capped, with jitter in its upper half.</summary>
    public TimeSpan DeferralDelay(int deferral, double jitter)
    {
        var exponent = Math.Clamp(deferral - 1, 0, 30);
        var full = Math.Min(DeferralBaseDelay.TotalSeconds * Math.Pow(2, exponent), DeferralMaxDelay.TotalSeconds);
        return TimeSpan.FromSeconds(full * (0.5 + (0.5 * Math.Clamp(jitter, 0, 1))));
    }
}
