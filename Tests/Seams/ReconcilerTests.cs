using Jobs.Consumer;
using Jobs.Consumer.Reconciliation;
using Jobs.Shared.Jobs;
using Jobs.Shared.Storage;
using Jobs.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Jobs.Tests.Seams;

/// <summary>
/// DynamoDB is the truth and the queue only wakes workers: whatever the queue loses, the reconciler
/// finds in the status index and repairs. Each test strands one job the way it happens on AWS (by
/// writing the job item as the crash would leave it, with no message) and runs the reconciler.
/// </summary>
public sealed class ReconcilerTests
{
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(30);

    [Test]
    public async Task A_queued_job_whose_message_was_lost_gets_a_fresh_one_and_finishes()
    {
        var stack = await TestStack.GetAsync();
        await using var consumer = Reconciling(stack);
        var job = await consumer.CreateQueuedAsync("its message was lost " + Suffix(), shape: j => j with { DueAt = DateTimeOffset.UtcNow - Margin - TimeSpan.FromSeconds(5) });

        var report = await consumer.Get<Reconciler>().RunAsync(CancellationToken.None);

        Assert.That(report.Resent, Is.GreaterThanOrEqualTo(1));
        using var api = new ApiCalls(stack);
        var done = await api.WaitForFinalAsync(job.Id);
        Assert.That((done.Status, done.Attempts), Is.EqualTo((JobStatus.Succeeded, 1)));
    }

    [Test]
    public async Task A_running_job_whose_worker_died_and_whose_message_was_lost_is_taken_over()
    {
        var stack = await TestStack.GetAsync();
        await using var consumer = Reconciling(stack);
        var past = DateTimeOffset.UtcNow - Margin - TimeSpan.FromMinutes(1);
        var job = await consumer.CreateQueuedAsync("its worker died " + Suffix(), shape: j => j with { Status = JobStatus.Running, Attempts = 1, StartedAt = past, LeaseExpiresAt = past, DueAt = past });

        var report = await consumer.Get<Reconciler>().RunAsync(CancellationToken.None);

        Assert.That(report.Redriven, Is.GreaterThanOrEqualTo(1));
        using var api = new ApiCalls(stack);
        var done = await api.WaitForFinalAsync(job.Id);
        Assert.That((done.Status, done.Attempts), Is.EqualTo((JobStatus.Succeeded, 2)), "the dead attempt counts; the new one finishes");
    }

    [Test]
    public async Task A_finished_job_without_its_notice_gets_it_once()
    {
        var stack = await TestStack.GetAsync();
        var inbox = await TestStack.InboxAsync();
        await using var consumer = Reconciling(stack);
        var past = DateTimeOffset.UtcNow - Margin - TimeSpan.FromMinutes(1);
        var job = await consumer.CreateQueuedAsync("finished, never announced " + Suffix(), shape: j => j with { Status = JobStatus.Canceled, CompletedAt = past, CancelRequestedAt = past, DueAt = null });

        await consumer.Get<Reconciler>().RunAsync(CancellationToken.None);
        await consumer.Get<Reconciler>().RunAsync(CancellationToken.None);

        var notice = await inbox.WaitForAsync(job.Id, "job.canceled", TimeSpan.FromSeconds(20), CancellationToken.None);
        await inbox.DrainOnceAsync(CancellationToken.None);
        Assert.That(notice, Is.Not.Null);
        Assert.That(inbox.Received.Count(n => n.JobId == job.Id), Is.EqualTo(1), "the second run found it recorded");
        Assert.That((await stack.Services.GetRequiredService<IJobStore>().GetAsync(job.Id, CancellationToken.None))!.NotifiedAt, Is.Not.Null);
    }

    [Test]
    public async Task A_job_that_is_late_by_less_than_the_margin_is_left_to_its_message()
    {
        var stack = await TestStack.GetAsync();
        await using var consumer = Reconciling(stack);
        var job = await consumer.CreateQueuedAsync("waiting its turn " + Suffix(), shape: j => j with { DueAt = DateTimeOffset.UtcNow - Margin + TimeSpan.FromSeconds(20) });

        await consumer.Get<Reconciler>().RunAsync(CancellationToken.None);

        var after = await stack.Services.GetRequiredService<IJobStore>().GetAsync(job.Id, CancellationToken.None);
        Assert.That((after!.Status, after.Dispatch), Is.EqualTo((JobStatus.Queued, 1)), "no second message for a job whose first may still be on its way");
    }

    private static ConsumerHarness Reconciling(Local.Hosting.LocalStack stack) =>
        new(stack, options: new ConsumerOptions { ReconcileMargin = Margin, DeadLetterQueueArn = stack.Options.Consumer.DeadLetterQueueArn });

    private static string Suffix() => Guid.NewGuid().ToString("N")[..8];
}
