namespace Jobs.Consumer.Bedrock;

/// <summary>How the service calls Bedrock.</summary>
public sealed class BedrockOptions
{
    /// <summary>Optional guardrail id sent as <c>X-Amzn-Bedrock-GuardrailIdentifier</c>. Environment: <c>JOBS_GUARDRAIL_ID</c>.</summary>
    public string? GuardrailIdentifier { get; set; }

    /// <summary>The guardrail version (<c>1</c>.. or <c>DRAFT</c>). Environment: <c>JOBS_GUARDRAIL_VERSION</c>.</summary>
    public string? GuardrailVersion { get; set; }

    /// <summary>First retry delay; later ones grow exponentially with jitter. Default 1 s.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Cap on one retry delay. Default 20 s.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Retries after the first call, within the invocation's budget. Default 4.</summary>
    public int MaxRetries { get; set; } = 4;

    /// <summary>
    /// Limit on one InvokeModel call. Image models answer in seconds to tens of seconds; past this
    /// the call is abandoned and retried. Default 60 s.
    /// </summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Share of failed calls (server faults and timeouts, not throttling) that opens a model's circuit. Default 0.5.</summary>
    public double CircuitFailureRatio { get; set; } = 0.5;

    /// <summary>Calls within <see cref="CircuitSamplingDuration"/> before the ratio counts. Default 5.</summary>
    public int CircuitMinimumThroughput { get; set; } = 5;

    /// <summary>Window over which failures are counted. Default 30 s.</summary>
    public TimeSpan CircuitSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an open circuit refuses calls before one trial call. Default 30 s.</summary>
    public TimeSpan CircuitBreakDuration { get; set; } = TimeSpan.FromSeconds(30);
}
