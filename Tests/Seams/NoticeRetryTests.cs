using System.Runtime.CompilerServices;
using Jobs.Shared.Aws;
using Jobs.Shared.Jobs;
using Jobs.Shared.Storage;
using Jobs.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Jobs.Tests.Seams;

/// <summary>One SNS throttle must not cost a whole redelivery of a job that is already done.</summary>
public sealed class NoticeRetryTests
{
    [Test]
    public async Task A_throttled_publish_is_retried_within_the_invocation()
    {
        var stack = await TestStack.GetAsync();
        var inbox = await TestStack.InboxAsync();
        var throttled = new StrongBox<int>();
        await using var consumer = new ConsumerHarness(stack, services =>
            services.AddSingleton(new AwsHttpOptions { WrapHandler = inner => new ThrottleFirstPublish(inner, throttled) }));
        var job = await consumer.CreateQueuedAsync("notified after one throttle " + Guid.NewGuid().ToString("N")[..8]);

        var redeliver = await consumer.InvokeAsync(ConsumerHarness.MessageFor(job.Id));

        var after = await stack.Services.GetRequiredService<IJobStore>().GetAsync(job.Id, CancellationToken.None);
        Assert.That(throttled.Value, Is.EqualTo(1), "SNS did throttle the first publish");
        Assert.That(redeliver, Is.Empty);
        Assert.That((after!.Status, after.NotifiedAt.HasValue), Is.EqualTo((JobStatus.Succeeded, true)));
        Assert.That(await inbox.WaitForAsync(job.Id, "job.succeeded", TimeSpan.FromSeconds(20), CancellationToken.None), Is.Not.Null);
    }
}
