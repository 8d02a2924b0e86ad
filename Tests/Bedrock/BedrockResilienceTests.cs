using Jobs.Consumer.Bedrock;
using Jobs.Tests.Support;
using Polly.Timeout;

namespace Jobs.Tests.Bedrock;

/// <summary>The retry pipeline on a fake clock: time jumps to each pending timer, nothing sleeps.</summary>
public sealed class BedrockResilienceTests
{
    private readonly BedrockOptions _options = new()
    {
        RetryBaseDelay = TimeSpan.FromSeconds(1),
        RetryMaxDelay = TimeSpan.FromSeconds(20),
        MaxRetries = 4,
        AttemptTimeout = TimeSpan.FromSeconds(30),
    };

    [Test]
    public async Task A_server_error_is_retried_with_growing_waits_until_it_succeeds()
    {
        var time = new SteppingClock();
        var pipeline = BedrockResilience.Create(_options, time);
        var calls = new List<DateTimeOffset>();

        var result = await time.RunAsync(pipeline.ExecuteAsync(_ =>
        {
            calls.Add(time.GetUtcNow());
            return calls.Count < 4
                ? ValueTask.FromException<int>(new BedrockException(BedrockErrors.InternalServer, 500, "The server encountered an internal error"))
                : ValueTask.FromResult(7);
        }).AsTask());

        Assert.That(result, Is.EqualTo(7));
        Assert.That(calls, Has.Count.EqualTo(4));
        var waits = calls.Zip(calls.Skip(1), (a, b) => b - a).ToList();
        Assert.That(waits, Has.All.GreaterThan(TimeSpan.Zero), "every retry waits");
        Assert.That(waits, Has.All.LessThanOrEqualTo(_options.RetryMaxDelay));
    }

    [TestCase(BedrockErrors.Validation, 400)]
    [TestCase(BedrockErrors.AccessDenied, 403)]
    [TestCase(BedrockErrors.ResourceNotFound, 404)]
    [TestCase(BedrockErrors.Throttling, 429, TestName = "Throttling is not waited out in the invocation: the pace answers it")]
    [TestCase(BedrockErrors.ModelNotReady, 429, TestName = "A model warming up is not waited out in the invocation")]
    public async Task A_final_error_is_not_retried(string type, int status)
    {
        var time = new SteppingClock();
        var calls = 0;

        var task = BedrockResilience.Create(_options, time).ExecuteAsync<int>(_ =>
        {
            calls++;
            throw new BedrockException(type, status, "no");
        }).AsTask();

        await Assert.ThatAsync(() => time.RunAsync(task), Throws.TypeOf<BedrockException>());
        Assert.That(calls, Is.EqualTo(1));
    }

    [Test]
    public async Task Retries_stop_after_the_configured_count()
    {
        var time = new SteppingClock();
        var calls = 0;

        var task = BedrockResilience.Create(_options, time).ExecuteAsync<int>(_ =>
        {
            calls++;
            throw new BedrockException(BedrockErrors.ServiceUnavailable, 503, "down");
        }).AsTask();

        await Assert.ThatAsync(() => time.RunAsync(task), Throws.TypeOf<BedrockException>());
        Assert.That(calls, Is.EqualTo(1 + _options.MaxRetries));
    }

    [Test]
    public async Task A_call_that_hangs_is_cut_off_by_the_attempt_timeout_and_retried()
    {
        var time = new SteppingClock();
        var calls = 0;

        var result = await time.RunAsync(BedrockResilience.Create(_options, time).ExecuteAsync(async token =>
        {
            if (++calls == 1)
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, time, token);
            }

            return 3;
        }).AsTask());

        Assert.That(result, Is.EqualTo(3));
        Assert.That(calls, Is.EqualTo(2));
    }

    [Test]
    public async Task A_network_fault_is_retried()
    {
        var time = new SteppingClock();
        var calls = 0;

        var result = await time.RunAsync(BedrockResilience.Create(_options, time).ExecuteAsync(_ =>
            ++calls == 1 ? ValueTask.FromException<int>(new HttpRequestException("connection reset")) : ValueTask.FromResult(5)).AsTask());

        Assert.That((result, calls), Is.EqualTo((5, 2)));
    }

    [Test]
    public async Task The_callers_deadline_ends_the_waiting()
    {
        var time = new SteppingClock();
        var start = time.GetUtcNow();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(2), time);
        var calls = 0;

        var task = BedrockResilience.Create(_options, time).ExecuteAsync<int>(_ =>
        {
            calls++;
            throw new BedrockException(BedrockErrors.ServiceUnavailable, 503, "down");
        }, deadline.Token).AsTask();

        await Assert.ThatAsync(() => time.RunAsync(task), Throws.InstanceOf<OperationCanceledException>());
        Assert.That(time.GetUtcNow() - start, Is.LessThan(TimeSpan.FromSeconds(3)), "no wait runs past the deadline");
        Assert.That(calls, Is.LessThan(1 + _options.MaxRetries));
    }

    [Test]
    public async Task TimeoutRejected_is_the_type_the_pipeline_raises_when_every_attempt_hangs()
    {
        var time = new SteppingClock();
        var options = new BedrockOptions { MaxRetries = 1, AttemptTimeout = TimeSpan.FromSeconds(5), RetryBaseDelay = TimeSpan.FromSeconds(1) };

        var task = BedrockResilience.Create(options, time).ExecuteAsync<int>(async token =>
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, time, token);
            return 0;
        }).AsTask();

        await Assert.ThatAsync(() => time.RunAsync(task), Throws.TypeOf<TimeoutRejectedException>());
    }
}
