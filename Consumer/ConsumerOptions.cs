namespace Jobs.Consumer;

/// <summary>How the consumer works through a batch, how long it keeps trying a job, and how the reconciler looks for stranded ones.</summary>
public sealed class ConsumerOptions
{
    /// <summary>
    /// Messages of one batch processed at once. A worker spends nearly all its time waiting for
    /// Bedrock (the pace, not this, keeps calls within the quota), and an invocation lasts as long
    /// as its slowest record, so the whole batch runs together. Environment:
    /// <c>JOBS_CONSUMER_CONCURRENCY</c>. Default 10 (1–10).
    /// </summary>
    public int MaxConcurrency { get; set; } = 10;

    /// <summary>
    /// Time kept back before the invocation deadline to store what finished, or to hand the job
    /// back, once generation runs out of budget. Default 3 s.
    /// </summary>
    public TimeSpan FinishMargin { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// The time a Bedrock call is given to answer. A record is not started unless this much is left
    /// after <see cref="FinishMargin"/> (it is handed on to a fresh message instead, with no attempt
    /// used and no receive burned), and no call or retry starts later than that in an invocation,
    /// so a paid answer is never lost to the deadline. Environment:
    /// <c>JOBS_MINIMUM_ATTEMPT_SECONDS</c>. Default 10 s (Stability's models answer in 3–10 s).
    /// </summary>
    public TimeSpan MinimumAttemptBudget { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The lease a claim takes when the invocation has no deadline (only outside Lambda). Default 15 min, Lambda's maximum.</summary>
    public TimeSpan FallbackLease { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Attempts a job gets (claims that ended in a passing error or a crash; waits for capacity do
    /// not count); after the last it fails <c>retries_exhausted</c>. Environment: <c>JOBS_MAX_ATTEMPTS</c>. Default 4.
    /// </summary>
    public int MaxAttempts { get; set; } = 4;

    /// <summary>First wait before a job that met a passing error is tried again; it doubles with each attempt. Default 2 s.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Longest wait between attempts. Default 2 min.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(2);

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

    /// <summary>
    /// How far past due a job must be before the reconciler acts: a queued job's message, a running
    /// job's lease, a finished job's notice. Long enough that a message waiting behind others is
    /// not sent twice; short enough that a lost one costs minutes. Environment:
    /// <c>JOBS_RECONCILE_MARGIN_SECONDS</c>. Default 2 min.
    /// </summary>
    public TimeSpan ReconcileMargin { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How long a succeeded job with a fixed seed answers identical requests from its images (they
    /// must outlive it: images expire after the bucket's retention). Zero turns the cache off.
    /// Environment: <c>JOBS_RESULT_CACHE_DAYS</c>. Default 7 days.
    /// </summary>
    public TimeSpan ResultCacheLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>The delay before the <paramref name="deferral"/>-th retry of a throttled job: exponential, capped, with jitter in its upper half.</summary>
    public TimeSpan DeferralDelay(int deferral, double jitter) => Backoff(DeferralBaseDelay, DeferralMaxDelay, deferral, jitter);

    /// <summary>The delay before attempt <paramref name="attempt"/> + 1 after a passing error: exponential, capped, with jitter in its upper half.</summary>
    public TimeSpan RetryDelay(int attempt, double jitter) => Backoff(RetryBaseDelay, RetryMaxDelay, attempt, jitter);

    private static TimeSpan Backoff(TimeSpan first, TimeSpan cap, int step, double jitter)
    {
        var exponent = Math.Clamp(step - 1, 0, 30);
        var full = Math.Min(first.TotalSeconds * Math.Pow(2, exponent), cap.TotalSeconds);
        return TimeSpan.FromSeconds(full * (0.5 + (0.5 * Math.Clamp(jitter, 0, 1))));
    }
}
