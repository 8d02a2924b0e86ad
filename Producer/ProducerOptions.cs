namespace Jobs.Producer;

/// <summary>Limits of the HTTP API.</summary>
public sealed class ProducerOptions
{
    /// <summary>
    /// Largest request body accepted, in bytes. The longest valid request (two 10,000-character
    /// prompts) is about 40 KB of UTF-8 at worst; API Gateway's own cap is 10 MB. Default 64 KiB.
    /// </summary>
    public int MaxBodyBytes { get; set; } = 64 * 1024;

    /// <summary>Page size of <c>GET /jobs</c> when the client gives none. Default 20.</summary>
    public int DefaultPageSize { get; set; } = 20;

    /// <summary>
    /// How long an <c>Idempotency-Key</c> answers retries with its first job; after it the key may
    /// make a new job. Longer than any client's retry loop, shorter than a job's retention. Default 24 h.
    /// </summary>
    public TimeSpan IdempotencyKeyLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// The owner of requests API Gateway did not authenticate (an API without authorization, the
    /// local stack). Environment: <c>JOBS_DEFAULT_OWNER</c>. Default <c>anonymous</c>.
    /// </summary>
    public string DefaultOwner { get; set; } = "anonymous";

    /// <summary>Largest page size of <c>GET /jobs</c>. Default 100.</summary>
    public int MaxPageSize { get; set; } = 100;
}
