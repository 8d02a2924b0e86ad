using Jobs.Consumer.Bedrock;
using Jobs.Shared.Jobs;
using Jobs.Shared.Models;
using Jobs.Tests.Support;

namespace Jobs.Tests.Bedrock;

/// <summary>
/// The generator's pipeline per model on a stepping fake clock: what counts as capacity, and a
/// circuit that opens on repeated server faults, stays open without calling Bedrock, and closes
/// again after its break. Bedrock itself is scripted here: it has no local counterpart.
/// </summary>
public sealed class BedrockImageGeneratorTests
{
    private static readonly JobRequest Request = new() { Prompt = "p", Model = ModelCatalog.StableImageCore, AspectRatio = "1:1" };

    private static readonly BedrockOptions Options = new()
    {
        RetryBaseDelay = TimeSpan.FromSeconds(1),
        RetryMaxDelay = TimeSpan.FromSeconds(4),
        MaxRetries = 2,
        AttemptTimeout = TimeSpan.FromSeconds(30),
        CircuitFailureRatio = 0.5,
        CircuitMinimumThroughput = 3,
        CircuitSamplingDuration = TimeSpan.FromSeconds(60),
        CircuitBreakDuration = TimeSpan.FromSeconds(30),
    };

    private static byte[] StabilityAnswer() =>
        System.Text.Encoding.UTF8.GetBytes($"{{\"seeds\":[1],\"finish_reasons\":[null],\"images\":[\"{Convert.ToBase64String(Local.FakeBedrock.ImagePainter.PaintPng("p", 1, 8, 8))}\"]}}");

    [Test]
    public async Task A_throttle_is_capacity_at_once_without_a_second_call()
    {
        var clock = new SteppingClock();
        var bedrock = new ScriptedBedrock(_ => throw new BedrockException(BedrockErrors.Throttling, 429, "slow down"));
        using var pipelines = new BedrockPipelines(Options, clock);
        var generator = new BedrockImageGenerator(bedrock, pipelines, ModelCatalog.Default, clock);

        var error = await CatchAsync(clock, generator.GenerateAsync(Request, DateTimeOffset.MaxValue, CancellationToken.None));

        Assert.That((error.IsCapacity, error.IsThrottle), Is.EqualTo((true, true)));
        Assert.That(error.Error.Code, Is.EqualTo(JobErrorCodes.Throttled));
        Assert.That(bedrock.Calls, Is.EqualTo(1), "the job waits for a slot in the pace instead");
    }

    [Test]
    public async Task When_the_start_window_has_closed_a_server_error_is_not_retried_and_keeps_its_words()
    {
        var clock = new SteppingClock();
        var bedrock = new ScriptedBedrock(_ => throw new BedrockException(BedrockErrors.InternalServer, 500, "The server encountered an internal error"));
        using var pipelines = new BedrockPipelines(Options, clock);
        var generator = new BedrockImageGenerator(bedrock, pipelines, ModelCatalog.Default, clock);

        // The window closes as the first call is made: no retry can start.
        var error = await CatchAsync(clock, generator.GenerateAsync(Request, clock.GetUtcNow(), CancellationToken.None));

        Assert.That((error.Error.Code, error.IsCapacity, error.IsRetryable), Is.EqualTo((JobErrorCodes.Transient, false, true)));
        Assert.That(error.Error.Message, Does.Contain("internal error"), "Bedrock's own words, not a budget message");
        Assert.That(bedrock.Calls, Is.EqualTo(1));
    }

    [Test]
    public async Task A_call_in_flight_when_the_window_closes_is_waited_for_and_its_image_kept()
    {
        var clock = new SteppingClock();
        var slow = new SlowBedrock(clock, TimeSpan.FromSeconds(8), StabilityAnswer());
        using var pipelines = new BedrockPipelines(Options, clock);
        var generator = new BedrockImageGenerator(slow, pipelines, ModelCatalog.Default, clock);

        var images = await clock.RunAsync(generator.GenerateAsync(Request, clock.GetUtcNow() + TimeSpan.FromSeconds(2), CancellationToken.None));

        Assert.That(images, Has.Count.EqualTo(1), "the answer was paid for; the window only limits when calls start");
        Assert.That(clock.GetUtcNow() - SteppingClockStart, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(8)));
    }

    private static readonly DateTimeOffset SteppingClockStart = new SteppingClock().GetUtcNow();

    [Test]
    public async Task Server_faults_open_the_models_circuit_which_recovers_after_the_break()
    {
        var clock = new SteppingClock();
        var failing = true;
        var bedrock = new ScriptedBedrock(model => failing && model == ModelCatalog.StableImageCore
            ? throw new BedrockException(BedrockErrors.InternalServer, 500, "boom")
            : StabilityAnswer());
        using var pipelines = new BedrockPipelines(Options, clock);
        var generator = new BedrockImageGenerator(bedrock, pipelines, ModelCatalog.Default, clock);

        var first = await CatchAsync(clock, generator.GenerateAsync(Request, DateTimeOffset.MaxValue, CancellationToken.None));
        var callsWhenOpen = bedrock.Calls;
        var second = await CatchAsync(clock, generator.GenerateAsync(Request, DateTimeOffset.MaxValue, CancellationToken.None));

        Assert.That((first.Error.Code, first.IsCapacity), Is.EqualTo((JobErrorCodes.Transient, false)), "three server faults: a real error, and the circuit opens");
        Assert.That(second.Error.Code, Is.EqualTo(JobErrorCodes.ModelUnavailable));
        Assert.That(second.IsCapacity, Is.True, "an open circuit is Bedrock's problem, not the job's");
        Assert.That(bedrock.Calls, Is.EqualTo(callsWhenOpen), "an open circuit does not call Bedrock");

        var other = await clock.RunAsync(GenerateOtherModelAsync(generator));
        Assert.That(other, Has.Count.EqualTo(1), "another model's circuit is its own");

        failing = false;
        clock.Advance(Options.CircuitBreakDuration);
        var images = await clock.RunAsync(generator.GenerateAsync(Request, DateTimeOffset.MaxValue, CancellationToken.None));
        Assert.That(images, Has.Count.EqualTo(1), "after the break a trial call goes through and closes the circuit");
    }

    private static async Task<IReadOnlyList<GeneratedImage>> GenerateOtherModelAsync(BedrockImageGenerator generator) =>
        await generator.GenerateAsync(Request with { Model = ModelCatalog.Sd35Large }, DateTimeOffset.MaxValue, CancellationToken.None);

    [Test]
    public async Task A_final_error_is_not_retried_and_keeps_Bedrocks_words()
    {
        var clock = new SteppingClock();
        var bedrock = new ScriptedBedrock(_ => throw new BedrockException(BedrockErrors.AccessDenied, 403, "You don't have access to the model with the specified model ID."));
        using var pipelines = new BedrockPipelines(Options, clock);
        var generator = new BedrockImageGenerator(bedrock, pipelines, ModelCatalog.Default, clock);

        var error = await CatchAsync(clock, generator.GenerateAsync(Request, DateTimeOffset.MaxValue, CancellationToken.None));

        Assert.That((error.Error.Code, error.IsRetryable, bedrock.Calls), Is.EqualTo((JobErrorCodes.ModelAccessDenied, false, 1)));
        Assert.That(error.Error.Message, Does.Contain("don't have access"));
    }

    private static async Task<ImageGenerationException> CatchAsync(SteppingClock clock, Task<IReadOnlyList<GeneratedImage>> task)
    {
        try
        {
            await clock.RunAsync(task);
        }
        catch (ImageGenerationException ex)
        {
            return ex;
        }

        Assert.Fail("generation was expected to fail");
        throw new InvalidOperationException();
    }

    /// <summary>Answers after a delay on the test's clock, as a model that takes its time.</summary>
    private sealed class SlowBedrock(TimeProvider clock, TimeSpan latency, byte[] answer) : IBedrockRuntime
    {
        public async Task<byte[]> InvokeModelAsync(string modelId, byte[] body, CancellationToken cancellationToken)
        {
            await Task.Delay(latency, clock, cancellationToken).ConfigureAwait(false);
            return answer;
        }
    }

    private sealed class ScriptedBedrock(Func<string, byte[]> answer) : IBedrockRuntime
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public Task<byte[]> InvokeModelAsync(string modelId, byte[] body, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            try
            {
                return Task.FromResult(answer(modelId));
            }
            catch (Exception ex)
            {
                return Task.FromException<byte[]>(ex);
            }
        }
    }
}
