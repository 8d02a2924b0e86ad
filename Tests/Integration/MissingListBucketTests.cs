using Jobs.Shared.Aws;
using Jobs.Shared.Jobs;
using Jobs.Shared.Storage;
using Jobs.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Jobs.Tests.Integration;

/// <summary>
/// Replays what happens on an account whose consumer role lacks <c>s3:ListBucket</c>: a worker dies
/// mid-attempt, and the next one's look for the images the dead attempt may have stored is answered
/// 403. That is a fault of the deployment, not of the job and not a passing error: it must fail the
/// job at once, naming the permission, without a Bedrock call and without the redeliveries that end
/// in the dead-letter queue.
/// </summary>
public sealed class MissingListBucketTests
{
    [Test]
    public async Task A_403_for_a_missing_image_fails_the_job_once_naming_the_missing_permission()
    {
        var stack = await TestStack.GetAsync();
        await using var consumer = new ConsumerHarness(stack, services =>
            services.AddSingleton(new AwsHttpOptions { WrapHandler = inner => new S3WithoutListBucket(inner) }));
        var prompt = "a bucket that will not list " + Guid.NewGuid().ToString("N");
        var job = await consumer.CreateQueuedAsync(prompt);
        // A first attempt that died (its lease over) without storing anything.
        var past = DateTimeOffset.UtcNow.AddMinutes(-5);
        await stack.Services.GetRequiredService<IJobStore>().ClaimAsync(job.Id, 1, past.AddSeconds(30), past, CancellationToken.None);

        var redeliver = await consumer.InvokeAsync(ConsumerHarness.MessageFor(job.Id));

        var after = await consumer.Store.GetAsync(job.Id, CancellationToken.None);
        Assert.That(redeliver, Is.Empty, "a configuration fault is not retried");
        Assert.That(after!.Status, Is.EqualTo(JobStatus.Failed));
        Assert.That(after.Error!.Code, Is.EqualTo(JobErrorCodes.ServiceMisconfigured));
        Assert.That(after.Error.Message, Does.Contain("s3:ListBucket"));
        Assert.That(stack.Bedrock.GenerationsFor(prompt), Is.Zero, "no Bedrock call is paid for a job that cannot be stored");
    }
}
