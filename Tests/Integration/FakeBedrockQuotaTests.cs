using Jobs.Local.FakeBedrock;
using Microsoft.Extensions.Time.Testing;

namespace Jobs.Tests.Integration;

/// <summary>The fake's quota, as Bedrock throttles: a bucket per model that a burst empties and time refills.</summary>
public sealed class FakeBedrockQuotaTests
{
    [Test]
    public void A_burst_takes_one_windows_quota_then_calls_go_at_the_quotas_pace()
    {
        var time = new FakeTimeProvider();
        var quota = new FakeBedrockQuota(60, TimeSpan.FromMinutes(1), FakeQuotaMode.TokenBucket, time);

        var burst = Enumerable.Range(0, 70).Count(_ => quota.TryTake());
        time.Advance(TimeSpan.FromSeconds(10));
        var tenSecondsLater = Enumerable.Range(0, 20).Count(_ => quota.TryTake());

        Assert.That(burst, Is.EqualTo(60), "a full bucket holds one minute's quota");
        Assert.That(tenSecondsLater, Is.EqualTo(10), "60 a minute refills one a second, continuously");
    }

    [Test]
    public void A_fixed_window_lets_a_whole_quota_through_again_at_each_window_start()
    {
        var time = new FakeTimeProvider();
        var quota = new FakeBedrockQuota(60, TimeSpan.FromMinutes(1), FakeQuotaMode.FixedWindow, time);

        var first = Enumerable.Range(0, 70).Count(_ => quota.TryTake());
        time.Advance(TimeSpan.FromSeconds(59));
        var stillSpent = quota.TryTake();
        time.Advance(TimeSpan.FromSeconds(1));
        var next = Enumerable.Range(0, 70).Count(_ => quota.TryTake());

        Assert.That((first, stillSpent, next), Is.EqualTo((60, false, 60)), "the window flatters a burst at its edge: 120 calls in one second");
    }
}
