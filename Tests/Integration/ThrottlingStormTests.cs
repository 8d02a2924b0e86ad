using Amazon.SQS.Model;
using Jobs.Shared.Jobs;
using Jobs.Shared.Models;
using Jobs.Tests.Support;

namespace Jobs.Tests.Integration;

/// <summary>
/// Capacity is not failure: a burst far above Bedrock's quota all finishes, every job on its first
/// attempt, none in the dead-letter queue; throttled jobs wait on the queue with the reason.
/// </summary>
public sealed class ThrottlingStormTests
{
    [Test]
    public async Task A_burst_far_above_the_quota_all_succeeds_and_nothing_is_dead_lettered()
    {
        var stack = await TestStack.GetAsync();
        using var api = new ApiCalls(stack);
        var fake = stack.Bedrock.Options;
        var throttledBefore = stack.Bedrock.Throttled;
        fake.RequestsPerMinute = 3;
        fake.QuotaWindow = TimeSpan.FromSeconds(1);
        try
        {
            var jobs = new List<string>();
            for (var i = 0; i < 24; i++)
            {
                jobs.Add((await api.SubmitAsync($"storm {i}")).Id);
            }

            var sawWaiting = await Eventually.WaitForAsync(
                async () => await Task.WhenAll(jobs.Select(api.GetAsync)),
                views => views.Any(v => v is { Status: JobStatus.Queued, Error.Code: JobErrorCodes.Throttled }),
                TimeSpan.FromSeconds(30),
                "a throttled job waiting on the queue");
            var done = await Task.WhenAll(jobs.Select(id => api.WaitForFinalAsync(id, TimeSpan.FromSeconds(150))));

            Assert.That(done.Select(j => j.Status), Has.All.EqualTo(JobStatus.Succeeded));
            Assert.That(done.Select(j => j.Attempts), Has.All.EqualTo(1), "throttling never uses up a job's attempts");
            Assert.That(done.Sum(j => j.Deferrals), Is.GreaterThan(0), "jobs waited on the queue for capacity");
            Assert.That(done.Select(j => j.Error), Has.All.Null, "the waiting reason is cleared on success");
            Assert.That(stack.Bedrock.Throttled - throttledBefore, Is.GreaterThan(jobs.Count), "the quota really was far below the submit rate");
            var dlq = await stack.Sqs.GetQueueAttributesAsync(new GetQueueAttributesRequest
            {
                QueueUrl = stack.DeadLetterQueueUrl,
                AttributeNames = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
            });
            Assert.That(dlq.ApproximateNumberOfMessages + dlq.ApproximateNumberOfMessagesNotVisible, Is.Zero);
        }
        finally
        {
            fake.RequestsPerMinute = null;
        }
    }
}
