using Jobs.Shared.Jobs;
using Jobs.Tests.Support;

namespace Jobs.Tests.Integration;

/// <summary>
/// A consumer that dies mid-batch, as a crashed Lambda does: the handler stops, nothing is deleted,
/// the emulators keep running. After the visibility timeout the job is picked up again and
/// finishes once.
/// </summary>
public sealed class CrashRecoveryTests
{
    [Test]
    public async Task A_job_whose_worker_died_during_generation_finishes_once_after_the_visibility_timeout()
    {
        var stack = await TestStack.GetAsync();
        var inbox = await TestStack.InboxAsync();
        using var api = new ApiCalls(stack);
        const string prompt = "a lighthouse in a storm, crashed once";
        var reachedBedrock = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var bedrockCalls = 0;
        stack.Bedrock.Options.BeforeAnswer = async (p, token) =>
        {
            if (p != prompt)
            {
                return;
            }

            if (Interlocked.Increment(ref bedrockCalls) == 1)
            {
                reachedBedrock.TrySetResult();
                // Hold the first call open until the worker is killed and the connection drops.
                await Task.Delay(Timeout.InfiniteTimeSpan, token);
            }
        };
        try
        {
            var job = await api.SubmitAsync(prompt);
            await reachedBedrock.Task.WaitAsync(TimeSpan.FromSeconds(30));
            stack.Poller.Crash();

            var orphaned = await api.GetAsync(job.Id);
            Assert.That(orphaned.Status, Is.EqualTo(JobStatus.Running), "the dead worker's claim stays until its lease ends");

            var done = await api.WaitForFinalAsync(job.Id, TimeSpan.FromSeconds(60));
            await inbox.WaitForAsync(job.Id, "job.succeeded", TimeSpan.FromSeconds(20), CancellationToken.None);
            await inbox.DrainOnceAsync(CancellationToken.None);

            Assert.That(done.Status, Is.EqualTo(JobStatus.Succeeded));
            Assert.That(done.Attempts, Is.EqualTo(2));
            Assert.That(bedrockCalls, Is.EqualTo(2), "one call died with the worker, one finished the job");
            Assert.That(done.Images, Has.Count.EqualTo(1));
            var objects = await StoredImages.ForJobAsync(stack, job.Id);
            Assert.That(objects.Select(o => o.Key), Is.EqualTo(new[] { done.Images[0].Key }));
            Assert.That(inbox.Received.Count(n => n.JobId == job.Id && n.Type == "job.succeeded"), Is.EqualTo(1));
            var dlq = await stack.Sqs.GetQueueAttributesAsync(stack.DeadLetterQueueUrl, ["ApproximateNumberOfMessages"]);
            Assert.That(dlq.ApproximateNumberOfMessages, Is.Zero);
        }
        finally
        {
            stack.Bedrock.Options.BeforeAnswer = null;
        }
    }
}
