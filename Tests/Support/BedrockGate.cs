using Jobs.Local.FakeBedrock;

namespace Jobs.Tests.Support;

/// <summary>
/// Holds the fake Bedrock's answers for one prompt until the test releases them, so a test can act
/// while a worker is inside its Bedrock call. Disposing releases the calls and removes the gate.
/// </summary>
public sealed class BedrockGate : IDisposable
{
    private readonly FakeBedrockOptions _options;
    private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public BedrockGate(FakeBedrockOptions options, string prompt)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        options.BeforeAnswer = async (p, token) =>
        {
            if (p == prompt)
            {
                _entered.TrySetResult();
                await _release.Task.WaitAsync(token);
            }
        };
    }

    /// <summary>Completes when a call for the prompt has reached the fake and is being held.</summary>
    public Task Entered => _entered.Task.WaitAsync(TimeSpan.FromSeconds(30));

    public void Release() => _release.TrySetResult();

    public void Dispose()
    {
        _options.BeforeAnswer = null;
        _release.TrySetResult();
    }
}
