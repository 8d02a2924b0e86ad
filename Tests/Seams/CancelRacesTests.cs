using Jobs.Consumer;
using Jobs.Consumer.Bedrock;
using Jobs.Local.FakeBedrock;
using Jobs.Shared.Images;
using Jobs.Shared.Jobs;
using Jobs.Shared.Storage;
using Jobs.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Jobs.Tests.Seams;

/// <summary>A client's cancel against the consumer's other writes: the cancel wins, and nothing it paid for is left behind.</summary>
public sealed class CancelRacesTests
{
    /// <summary>
    /// The worker is inside its Bedrock call; the client cancels (202); Bedrock then throttles. The
    /// job must end canceled now, with its notice, not go back to wait for capacity it no longer needs.
    /// </summary>
    [Test]
    public async Task A_cancel_during_a_throttled_call_cancels_the_job_instead_of_deferring_it()
    {
        var stack = await TestStack.GetAsync();
        var inbox = await TestStack.InboxAsync();
        var operatorStore = stack.Services.GetRequiredService<IJobStore>();
        var prompt = "canceled while throttled " + Guid.NewGuid().ToString("N")[..8];
        await using var consumer = new ConsumerHarness(stack);
        var job = await consumer.CreateQueuedAsync(prompt);
        stack.Bedrock.Options.PromptErrors[prompt] = new([.. Enumerable.Range(0, 5).Select(_ => FakeBedrockError.Of(BedrockErrors.Throttling))]);
        using var gate = new BedrockGate(stack.Bedrock.Options, prompt);

        var invocation = consumer.InvokeAsync(ConsumerHarness.MessageFor(job.Id));
        await gate.Entered;
        Assert.That((await operatorStore.RequestCancelAsync(job.Id, DateTimeOffset.UtcNow, CancellationToken.None)).IsApplied, Is.True);
        gate.Release();
        var redeliver = await invocation;

        var after = await operatorStore.GetAsync(job.Id, CancellationToken.None);
        Assert.That(redeliver, Is.Empty);
        Assert.That(after!.Status, Is.EqualTo(JobStatus.Canceled), "the cancel answered 202 takes effect now");
        Assert.That(after.Error, Is.Null, "a canceled job shows no stale 'throttled' error");
        Assert.That(await inbox.WaitForAsync(job.Id, "job.canceled", TimeSpan.FromSeconds(20), CancellationToken.None), Is.Not.Null);
    }

    /// <summary>
    /// A worker stores the image and dies before completing; the client cancels; the next delivery
    /// takes the job over. The image the dead attempt stored must be deleted with the cancel.
    /// </summary>
    [Test]
    public async Task A_cancel_after_a_crashed_attempt_deletes_the_images_that_attempt_stored()
    {
        var stack = await TestStack.GetAsync();
        var operatorStore = stack.Services.GetRequiredService<IJobStore>();
        using var crash = new CrashPoint();
        var shortLived = new ConsumerOptions { FinishMargin = TimeSpan.Zero, MinimumAttemptBudget = TimeSpan.Zero };
        await using var crashing = new ConsumerHarness(
            stack,
            services => services.AddSingleton<S3ImageStore>().AddSingleton<IImageStore>(sp => new CrashingImageStore(sp.GetRequiredService<S3ImageStore>(), crash)),
            shortLived);
        var job = await crashing.CreateQueuedAsync("stored, crashed, then canceled " + Guid.NewGuid().ToString("N")[..8]);
        var crashed = ConsumerHarness.MessageFor(job.Id);
        // The worker dies after the step: its record is handed back (with nothing after the step done).
        Assert.That(await crashing.InvokeAsync(crashed, crash.InvocationToken, TimeSpan.FromSeconds(2)), Is.EqualTo(new[] { crashed.MessageId }));
        Assert.That(await StoredImages.ForJobAsync(stack, job.Id), Has.Count.EqualTo(1), "the dead attempt stored its image");

        Assert.That((await operatorStore.RequestCancelAsync(job.Id, DateTimeOffset.UtcNow, CancellationToken.None)).IsApplied, Is.True);
        await using var next = new ConsumerHarness(stack, time: new ShiftedClock(TimeSpan.FromSeconds(3)));
        var redeliver = await next.InvokeAsync(ConsumerHarness.MessageFor(job.Id, receiveCount: 2));

        Assert.That(redeliver, Is.Empty);
        Assert.That((await operatorStore.GetAsync(job.Id, CancellationToken.None))!.Status, Is.EqualTo(JobStatus.Canceled));
        Assert.That(await StoredImages.ForJobAsync(stack, job.Id), Is.Empty, "nothing a canceled job paid for is kept");
    }
}
