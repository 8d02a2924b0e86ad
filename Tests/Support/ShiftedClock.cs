namespace Jobs.Tests.Support;

/// <summary>
/// The real clock moved forward by a fixed amount: a worker that "arrives later" than a crashed
/// one, so the dead worker's lease has already ended without the test waiting for it. The shift
/// stays well inside the five minutes of clock skew AWS signatures allow.
/// </summary>
public sealed class ShiftedClock(TimeSpan shift) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + shift;
}
