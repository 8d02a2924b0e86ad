namespace Jobs.Consumer.Pacing;

/// <summary>
/// How the consumer paces its Bedrock calls to each model's quota. Bedrock publishes no image
/// quota one can rely on (and throttles at low rates), so a rate is configured where known and
/// learned everywhere: lowered on a throttle, raised slowly while calls go through.
/// </summary>
public sealed class PaceOptions
{
    /// <summary>Pace calls at all. Off only to measure what pacing saves. Environment: <c>JOBS_PACING</c> (<c>on</c>/<c>off</c>). Default on.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Requests per minute per model id or inference profile id, as the account's quota allows.
    /// Environment: <c>JOBS_MODEL_QUOTAS</c>, e.g. <c>stability.stable-image-core-v1:1=60,us.stability.sd3-5-large-v1:0=30</c>.
    /// </summary>
    public Dictionary<string, double> Quotas { get; } = new(StringComparer.Ordinal);

    /// <summary>The starting rate of a model with no configured quota, in requests per minute; throttles lower it. Environment: <c>JOBS_DEFAULT_MODEL_QUOTA</c>. Default 60.</summary>
    public double DefaultQuota { get; set; } = 60;

    /// <summary>How many seconds' worth of calls may go at once after an idle spell. Environment: <c>JOBS_PACE_BURST_SECONDS</c>. Default 10.</summary>
    public double BurstSeconds { get; set; } = 10;

    /// <summary>A throttle multiplies the rate by this. Default 0.8.</summary>
    public double DecreaseFactor { get; set; } = 0.8;

    /// <summary>At most one decrease per this window: one burst of throttles is one signal. Default 10 s.</summary>
    public TimeSpan DecreaseWindow { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The rate rises (by one request per minute for each minute of full use) only after this long without a throttle. Default 2 min.</summary>
    public TimeSpan IncreaseAfter { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The rate never falls below this many requests per minute. Default 1.</summary>
    public double FloorQuota { get; set; } = 1;

    /// <summary>A learned rate stays below this multiple of a configured quota (an unconfigured model: <see cref="MaxQuota"/>). Default 4.</summary>
    public double CeilingMultiple { get; set; } = 4;

    /// <summary>The highest rate ever tried, in requests per minute. Default 6000.</summary>
    public double MaxQuota { get; set; } = 6000;

    /// <summary>How long concurrent records wait for each other so they take their slots in one write. Default 5 ms.</summary>
    public TimeSpan CoalesceWindow { get; set; } = TimeSpan.FromMilliseconds(5);

    /// <summary>A job's reserved slot may be used from 1 s before it until this long after it; later, it takes a new one. Default 60 s.</summary>
    public TimeSpan SlotGrace { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How far ahead a batch job may book a slot: batch jobs take only slots this near, so a single
    /// job asking later waits at most about this long behind them. Environment: <c>JOBS_BULK_HORIZON_SECONDS</c>. Default 2 s.
    /// </summary>
    public TimeSpan BulkHorizon { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The share of each model's rate kept for batch jobs while they wait, however many single jobs
    /// ask (single jobs take the rest, and batch jobs everything single jobs leave). 0 gives single
    /// jobs strict priority. Environment: <c>JOBS_BULK_SHARE</c> (0 to 0.9). Default 0.1.
    /// </summary>
    public double BulkShare { get; set; } = 0.1;

    /// <summary>Batch jobs count as waiting (and single jobs leave their share free) until this long after the last one asked or was due back. Default 10 s.</summary>
    public TimeSpan BulkIdleAfter { get; set; } = TimeSpan.FromSeconds(10);

    public double QuotaFor(string model) => Quotas.TryGetValue(model, out var quota) ? quota : DefaultQuota;

    public double CeilingFor(string model) => Quotas.TryGetValue(model, out var quota) ? Math.Min(MaxQuota, quota * CeilingMultiple) : MaxQuota;
}
