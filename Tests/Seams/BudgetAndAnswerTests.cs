using Jobs.Consumer;
using Jobs.Shared.Jobs;
using Jobs.Shared.Storage;
using Jobs.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Jobs.Tests.Seams;

/// <summary>What the consumer decides before and after its Bedrock call.</summary>
public sealed class BudgetAndAnswerTests
{
    /// <summary>
    /// The record starts when less time is left than the finish margin: the job must not be claimed
    /// (no attempt used, no Bedrock call, no receive burned); it is handed on to a fresh message.
    /// </summary>
    [Test]
    public async Task A_record_that_cannot_finish_in_the_time_left_is_not_started()
    {
        var stack = await TestStack.GetAsync();
        var operatorStore = stack.Services.GetRequiredService<IJobStore>();
        var prompt = "started too late " + Guid.NewGuid().ToString("N")[..8];
        await using var consumer = new ConsumerHarness(stack, options: new ConsumerOptions { FinishMargin = TimeSpan.FromSeconds(3) });
        var job = await consumer.CreateQueuedAsync(prompt);

        var redeliver = await consumer.InvokeAsync(ConsumerHarness.MessageFor(job.Id), timeout: TimeSpan.FromSeconds(2));

        var after = await operatorStore.GetAsync(job.Id, CancellationToken.None);
        Assert.That(redeliver, Is.Empty, "the message is not returned to burn a receive");
        Assert.That((after!.Status, after.Attempts), Is.EqualTo((JobStatus.Queued, 0)));
        Assert.That(stack.Bedrock.GenerationsFor(prompt), Is.Zero);
    }

    [Test]
    public async Task A_model_answer_that_is_not_a_PNG_fails_the_job_with_model_error_at_once()
    {
        var stack = await TestStack.GetAsync();
        await using var consumer = new ConsumerHarness(stack);
        var job = await consumer.CreateQueuedAsync("a picture, not-a-png " + Guid.NewGuid().ToString("N")[..8]);

        var redeliver = await consumer.InvokeAsync(ConsumerHarness.MessageFor(job.Id));

        var after = await stack.Services.GetRequiredService<IJobStore>().GetAsync(job.Id, CancellationToken.None);
        Assert.That(redeliver, Is.Empty, "not retried into the dead-letter queue");
        Assert.That(after!.Status, Is.EqualTo(JobStatus.Failed));
        Assert.That(after.Error!.Code, Is.EqualTo(JobErrorCodes.ModelError));
        Assert.That(await StoredImages.ForJobAsync(stack, job.Id), Is.Empty);
    }
}
