using System.Collections.Concurrent;

namespace Jobs.Local.FakeBedrock;

/// <summary>
/// Knobs of the fake Bedrock, settable per run (the <c>Local</c> command line) and changed by
/// tests while it runs. Randomness comes from <see cref="RandomSeed"/>, so a run is repeatable.
/// </summary>
public sealed class FakeBedrockOptions
{
    /// <summary>Shortest time a successful call takes. Default none.</summary>
    public TimeSpan LatencyMin { get; set; }

    /// <summary>Longest time a successful call takes; each call draws uniformly between min and max. Default none.</summary>
    public TimeSpan LatencyMax { get; set; }

    /// <summary>Calls accepted per <see cref="QuotaWindow"/>, per model, before answering <c>ThrottlingException</c>; null for no quota.</summary>
    public int? RequestsPerMinute { get; set; }

    /// <summary>The quota's window; one minute like Bedrock's, shorter in tests to keep them fast.</summary>
    public TimeSpan QuotaWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How the quota is counted. Default a continuously refilled bucket holding one window's quota.</summary>
    public FakeQuotaMode QuotaMode { get; set; } = FakeQuotaMode.TokenBucket;

    /// <summary>Share (0–1) of calls answered with each Bedrock error type, e.g. <c>InternalServerException</c> → 0.1.</summary>
    public ConcurrentDictionary<string, double> ErrorRates { get; } = new(StringComparer.Ordinal);

    /// <summary>Words that make the prompt itself blocked by the content filter.</summary>
    public ConcurrentBag<string> PromptFilterWords { get; } = ["blocked-prompt"];

    /// <summary>Words that make the generated image blocked by the content filter.</summary>
    public ConcurrentBag<string> OutputFilterWords { get; } = ["blocked-output"];

    /// <summary>Words that make the model answer with bytes that are not an image.</summary>
    public ConcurrentBag<string> NotPngWords { get; } = ["not-a-png"];

    /// <summary>Models that answer as past their end of life (404).</summary>
    public ConcurrentBag<string> EndOfLifeModels { get; } = [];

    /// <summary>Errors to answer the next calls with, one per call, before answering normally again.</summary>
    public ConcurrentQueue<FakeBedrockError> InjectedErrors { get; } = new();

    /// <summary>
    /// Errors to answer the next calls for one prompt with, one per call: lets a test fail exactly
    /// its own job's calls while other work goes on.
    /// </summary>
    public ConcurrentDictionary<string, ConcurrentQueue<FakeBedrockError>> PromptErrors { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Awaited before each call is answered, with the prompt; a test uses it to hold a call open
    /// (to crash a worker mid-call) or to watch calls arrive.
    /// </summary>
    public Func<string, CancellationToken, Task>? BeforeAnswer { get; set; }

    /// <summary>Seed of the random draws for latency and error rates.</summary>
    public int RandomSeed { get; set; } = 1;
}
