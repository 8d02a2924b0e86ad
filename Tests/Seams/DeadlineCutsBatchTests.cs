using Jobs.Consumer;
using Jobs.Consumer.Bedrock;
using Jobs.Local.FakeBedrock;
using Jobs.Shared.Jobs;
using Jobs.Shared.Storage;
using Jobs.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Jobs.Tests.Seams;

/// <summary>
/// Record A is throttled and deferred on a fresh message (A is acknowledged); record B is still in
/// its Bedrock call when the invocation's deadline comes. Only B may come back: A's original message
/// must not, and if a copy of it does (at-least-once delivery), it must be recognised as stale and
/// acknowledged without a Bedrock call, so one job never has two live messages.
/// </summary>
public sealed class DeadlineCutsBatchTests
{
    [Test]
    public async Task A_deadline_in_the_middle_of_a_batch_hands_back_only_the_record_that_did_not_finish()
    {
        var stack = await TestStack.GetAsync();
        var operatorStore = stack.Services.GetRequiredService<IJobStore>();
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var throttledPrompt = "deferred in a batch " + suffix;
        var slowPrompt = "still generating at the deadline " + suffix;
        // A deferral long enough that the job is still waiting when the test looks at it.
        await using var consumer = new ConsumerHarness(stack, options: new ConsumerOptions { FinishMargin = TimeSpan.Zero, MinimumAttemptBudget = TimeSpan.Zero, MaxConcurrency = 2, DeferralBaseDelay = TimeSpan.FromSeconds(60) });
        var throttled = await consumer.CreateQueuedAsync(throttledPrompt);
        var slow = await consumer.CreateQueuedAsync(slowPrompt);
        stack.Bedrock.Options.PromptErrors[throttledPrompt] = new([FakeBedrockError.Of(BedrockErrors.Throttling)]);
        using var gate = new BedrockGate(stack.Bedrock.Options, slowPrompt);
        var recordA = ConsumerHarness.MessageFor(throttled.Id);
        var recordB = ConsumerHarness.MessageFor(slow.Id);

        // The runtime's token fires just before the invocation's deadline, as LambdaRuntimeLoop's does.
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        var redeliver = await consumer.InvokeAsync([recordA, recordB], deadline.Token, TimeSpan.FromSeconds(3.5));

        Assert.That(redeliver, Is.EqualTo(new[] { recordB.MessageId }), "only the unfinished record goes back");
        var deferred = await operatorStore.GetAsync(throttled.Id, CancellationToken.None);
        Assert.That((deferred!.Status, deferred.Deferrals), Is.EqualTo((JobStatus.Queued, 1)));

        // A copy of A's original message arrives anyway: it is stale, so no work and no Bedrock call.
        gate.Release();
        var again = await consumer.InvokeAsync(ConsumerHarness.MessageFor(throttled.Id));
        var after = await operatorStore.GetAsync(throttled.Id, CancellationToken.None);
        Assert.That(again, Is.Empty);
        Assert.That(stack.Bedrock.GenerationsFor(throttledPrompt), Is.Zero, "the stale copy paid for no image");
        Assert.That((after!.Status, after.Attempts), Is.EqualTo((JobStatus.Queued, 0)));
    }
}
