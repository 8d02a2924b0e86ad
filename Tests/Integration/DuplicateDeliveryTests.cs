using Jobs.Shared.Jobs;
using Jobs.Tests.Support;

namespace Jobs.Tests.Integration;

/// <summary>Two deliveries of one job's message at the same time produce one generation.</summary>
public sealed class DuplicateDeliveryTests
{
    [Test]
    public async Task Concurrent_deliveries_of_the_same_job_generate_once()
    {
        var stack = await TestStack.GetAsync();
        await using var first = new ConsumerHarness(stack);
        await using var second = new ConsumerHarness(stack);
        const string prompt = "two deliveries at once";
        using var gate = new BedrockGate(stack.Bedrock.Options, prompt);
        var job = await first.CreateQueuedAsync(prompt);
        var one = ConsumerHarness.MessageFor(job.Id);
        var two = ConsumerHarness.MessageFor(job.Id);

        var running = first.InvokeAsync(one);
        await gate.Entered;
        var duplicate = await second.InvokeAsync(two);
        gate.Release();
        var original = await running;
        var afterwards = await second.InvokeAsync(ConsumerHarness.MessageFor(job.Id, receiveCount: 2));

        Assert.That(duplicate, Is.EqualTo(new[] { two.MessageId }), "the duplicate waits while the first worker holds the job");
        Assert.That(original, Is.Empty);
        Assert.That(afterwards, Is.Empty, "once the job is done the duplicate is acknowledged");
        Assert.That(stack.Bedrock.GenerationsFor(prompt), Is.EqualTo(1));
        var final = await first.Store.GetAsync(job.Id, CancellationToken.None);
        Assert.That((final!.Status, final.Attempts, final.Images.Count), Is.EqualTo((JobStatus.Succeeded, 1, 1)));
    }
}
