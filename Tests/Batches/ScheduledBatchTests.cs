using Amazon.S3;
using Jobs.Consumer;
using Jobs.Consumer.Batches;
using Jobs.Shared.Batches;
using Jobs.Shared.Lambda;
using Jobs.Shared.Storage;
using Jobs.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Jobs.Tests.Batches;

/// <summary>A schedule's run, as EventBridge Scheduler invokes the consumer for it (twice, as a retry would): one batch, run to the end.</summary>
public sealed class ScheduledBatchTests
{
    [Test]
    public async Task A_scheduled_run_invoked_twice_starts_one_batch_of_its_manifest()
    {
        var stack = await TestStack.GetAsync();
        var key = $"scheduled-{Guid.NewGuid():N}.jsonl";
        await stack.Services.GetRequiredService<IAmazonS3>().PutObjectAsync(new Amazon.S3.Model.PutObjectRequest
        {
            BucketName = "jobs-manifests",
            Key = key,
            ContentBody = $"{{\"id\":\"N1\",\"prompt\":\"nightly one {key}\"}}\n{{\"id\":\"N2\",\"prompt\":\"nightly two {key}\"}}\n",
        });
        await using var consumer = new ConsumerHarness(stack);
        var run = new ScheduledBatchRequest { Name = "nightly", Bucket = "jobs-manifests", Key = key, ScheduledTime = "2026-12-01T02:00:00Z" };
        var context = new LambdaContext("scheduled", DateTimeOffset.UtcNow.AddMinutes(1), null, null);

        await consumer.Get<ConsumerFunction>().HandleAsync(new ConsumerEvent { ScheduledBatch = run }, context, CancellationToken.None);
        await consumer.Get<ConsumerFunction>().HandleAsync(new ConsumerEvent { ScheduledBatch = run }, context, CancellationToken.None);
        var id = ScheduledBatches.ScheduledId("nightly", run.ScheduledTime);
        var batches = consumer.Get<IBatchStore>();
        var done = await Eventually.WaitForAsync(() => batches.GetAsync(id, CancellationToken.None), b => b?.NotifiedAt is not null, TimeSpan.FromSeconds(60), "the scheduled batch to finish");
        var other = await batches.GetAsync(ScheduledBatches.ScheduledId("nightly", "2026-12-02T02:00:00Z"), CancellationToken.None);

        Assert.That((done!.Status, done.Owner, done.Total, done.Succeeded), Is.EqualTo((BatchStatus.Completed, "schedule:nightly", 2, 2)));
        Assert.That(done.Created, Is.EqualTo(2), "the second invocation made nothing");
        Assert.That(other, Is.Null, "another night is another batch");
        Assert.ThrowsAsync<ArgumentException>(() => consumer.Get<ConsumerFunction>().HandleAsync(new ConsumerEvent { ScheduledBatch = run with { Key = null } }, context, CancellationToken.None));
    }
}
