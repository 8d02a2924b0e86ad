using Jobs.Consumer;

namespace Jobs.Tests.Consumer;

/// <summary>How long a throttled job waits before its next try: growing, capped at SQS's 15-minute delay, jittered.</summary>
public sealed class DeferralDelayTests
{
    private readonly ConsumerOptions _options = new();

    [Test]
    public void The_delay_doubles_with_each_deferral_up_to_the_cap()
    {
        var delays = Enumerable.Range(1, 12).Select(n => _options.DeferralDelay(n, jitter: 1)).ToList();

        Assert.That(delays[0], Is.EqualTo(TimeSpan.FromSeconds(5)));
        Assert.That(delays[1], Is.EqualTo(TimeSpan.FromSeconds(10)));
        Assert.That(delays[4], Is.EqualTo(TimeSpan.FromSeconds(80)));
        Assert.That(delays, Is.Ordered);
        Assert.That(delays[^1], Is.EqualTo(TimeSpan.FromMinutes(15)));
    }

    [Test]
    public void Jitter_spreads_the_delay_over_its_upper_half()
    {
        Assert.That(_options.DeferralDelay(3, jitter: 0), Is.EqualTo(TimeSpan.FromSeconds(10)));
        Assert.That(_options.DeferralDelay(3, jitter: 0.5), Is.EqualTo(TimeSpan.FromSeconds(15)));
        Assert.That(_options.DeferralDelay(3, jitter: 1), Is.EqualTo(TimeSpan.FromSeconds(20)));
    }
}
