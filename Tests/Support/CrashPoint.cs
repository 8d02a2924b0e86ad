namespace Jobs.Tests.Support;

/// <summary>
/// Kills the invocation right after a chosen step, the way a Lambda dies: its token is canceled and
/// the handler stops, so nothing after the step happens and no message is deleted.
/// </summary>
public sealed class CrashPoint : IDisposable
{
    private readonly CancellationTokenSource _kill = new();
    private int _armed = 1;

    public CancellationToken InvocationToken => _kill.Token;

    public bool HasCrashed => Volatile.Read(ref _armed) == 0;

    /// <summary>Called by a wrapper after its step; crashes the first time only.</summary>
    public void After()
    {
        if (Interlocked.Exchange(ref _armed, 0) == 1)
        {
            _kill.Cancel();
            _kill.Token.ThrowIfCancellationRequested();
        }
    }

    public void Dispose() => _kill.Dispose();
}
