namespace Jobs.Local.FakeBedrock;

/// <summary>What one model of the fake Bedrock has seen: calls, throttles, calls in flight now and at most. The benchmark reads these.</summary>
public sealed class FakeModelStats
{
    private int _calls;
    private int _throttled;
    private int _inFlight;
    private int _maxInFlight;

    public int Calls => Volatile.Read(ref _calls);

    public int Throttled => Volatile.Read(ref _throttled);

    public int InFlight => Volatile.Read(ref _inFlight);

    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    internal void Called() => Interlocked.Increment(ref _calls);

    internal void Throttle() => Interlocked.Increment(ref _throttled);

    internal void Enter()
    {
        var now = Interlocked.Increment(ref _inFlight);
        int seen;
        while ((seen = Volatile.Read(ref _maxInFlight)) < now && Interlocked.CompareExchange(ref _maxInFlight, now, seen) != seen)
        {
        }
    }

    internal void Leave() => Interlocked.Decrement(ref _inFlight);
}
