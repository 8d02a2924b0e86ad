using System.Collections.Concurrent;

namespace Jobs.Local.FakeBedrock;

/// <summary>
/// Knobs of the fake Bedrock, settable per run and changed by tests while it runs.
/// </summary>
public sealed class FakeBedrockOptions
{
    /// <summary>Time each successful call takes. Default none.</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>Errors to answer the next calls with, one per call, before answering normally again.</summary>
    public ConcurrentQueue<FakeBedrockError> InjectedErrors { get; } = new();

    /// <summary>
    /// Awaited before each call is answered, with the prompt; a test uses it to hold a call open
    /// (to crash a worker mid-call) or to watch calls arrive.
    /// </summary>
    public Func<string, CancellationToken, Task>? BeforeAnswer { get; set; }
}
