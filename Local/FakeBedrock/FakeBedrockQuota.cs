namespace Jobs.Local.FakeBedrock;

/// <summary>A fixed-window request counter: the fake's stand-in for Bedrock's per-account throughput quota.</summary>
public sealed class FakeBedrockQuota(TimeProvider time)
{
    private readonly Lock _gate = new();
    private DateTimeOffset _windowStart = DateTimeOffset.MinValue;
    private int _used;

    /// <summary>Takes one request from the current window; false when the window's quota is spent.</summary>
    public bool TryTake(int perWindow, TimeSpan window)
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            if (now - _windowStart >= window)
            {
                _windowStart = now;
                _used = 0;
            }

            if (_used >= perWindow)
            {
                return false;
            }

            _used++;
            return true;
        }
    }
}
