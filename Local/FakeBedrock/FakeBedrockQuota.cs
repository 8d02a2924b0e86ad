namespace Jobs.Local.FakeBedrock;

/// <summary>
/// One model's throughput quota in the fake Bedrock: <paramref name="perWindow"/> calls per
/// <paramref name="window"/>, counted as a continuously refilled token bucket (holding one window's
/// worth) or as a fixed window.
/// </summary>
public sealed class FakeBedrockQuota(int perWindow, TimeSpan window, FakeQuotaMode mode, TimeProvider time)
{
    private readonly Lock _gate = new();
    private double _tokens = perWindow;
    private DateTimeOffset _refilledAt = time.GetUtcNow();
    private DateTimeOffset _windowStart = DateTimeOffset.MinValue;
    private int _used;

    /// <summary>Takes one call from the quota; false when it is spent (Bedrock answers ThrottlingException).</summary>
    public bool TryTake()
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            if (mode == FakeQuotaMode.FixedWindow)
            {
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

            _tokens = Math.Min(perWindow, _tokens + ((now - _refilledAt) / window * perWindow));
            _refilledAt = now;
            if (_tokens < 1)
            {
                return false;
            }

            _tokens--;
            return true;
        }
    }
}
