namespace Jobs.Local.Hosting;

/// <summary>How the local event source mapping feeds the consumer.</summary>
public sealed class QueuePollerOptions
{
    /// <summary>Messages per batch (SQS allows 1–10). Default 10.</summary>
    public int BatchSize { get; set; } = 10;

    /// <summary>The consumer's function timeout: each invocation's deadline is this far from its start. Default 60 s.</summary>
    public TimeSpan FunctionTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Concurrent invocations (Lambda's maximum concurrency for the mapping). Default 2.</summary>
    public int Concurrency { get; set; } = 2;
}
