using System.Text;
using Amazon.S3;
using Jobs.Shared.Batches;
using Jobs.Shared.Jobs;
using Jobs.Shared.Queue;
using Jobs.Shared.Storage;
using Jobs.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Jobs.Tests.Batches;

/// <summary>
/// A 5,000-item manifest expanded step by step with the invocation killed mid-expansion (after a
/// chunk's jobs are written, before their messages go out and the step is recorded): the step runs
/// again, every job exists once, every job runs, the counts are exact and the results list every item.
/// </summary>
public sealed class BatchExpansionCrashTests
{
    private const int Items = 5_000;

    [Test]
    public async Task A_crash_mid_expansion_makes_every_job_once_and_the_counts_and_results_exact()
    {
        var stack = await TestStack.GetAsync();
        using var crash = new CrashPoint();
        var batchId = JobIds.New(TimeProvider.System);
        // Items repeat a few prompts with a fixed seed: the result cache answers most of them, so
        // the test spends its time on expansion and counting rather than on fake images.
        var manifest = new StringBuilder();
        for (var i = 0; i < Items; i++)
        {
            manifest.Append($"{{\"id\":\"M{i:D5}\",\"prompt\":\"manifest item {i % 10} {batchId}\",\"seed\":7,\"metadata\":{{\"n\":\"{i}\"}}}}\n");
        }

        manifest.Append("{\"id\":\"BAD\",\"prompt\":\"\"}\n");
        await stack.Services.GetRequiredService<IAmazonS3>().PutObjectAsync(new Amazon.S3.Model.PutObjectRequest
        {
            BucketName = "jobs-manifests",
            Key = $"{batchId}.jsonl",
            ContentBody = manifest.ToString(),
        });
        SteppedBatchQueue? steps = null;
        await using var consumer = new ConsumerHarness(stack, services => services.AddSingleton<IJobQueue>(sp =>
            steps = new SteppedBatchQueue(new SqsJobQueue(sp.GetRequiredService<Amazon.SQS.IAmazonSQS>(), sp.GetRequiredService<JobQueueOptions>()), crash, crashOnSend: 3)));
        var batches = consumer.Get<IBatchStore>();
        var now = DateTimeOffset.UtcNow;
        await batches.CreateAsync(new Batch
        {
            Id = batchId,
            Owner = JobTable.AnonymousOwner,
            Status = BatchStatus.Expanding,
            Manifest = new OutputLocation("jobs-manifests", $"{batchId}.jsonl"),
            CreatedAt = now,
            UpdatedAt = now,
            ExpiresAt = now.AddDays(1),
        }, CancellationToken.None);
        _ = consumer.Queue;

        // Deliver the step messages as SQS would: a crashed invocation's message comes back.
        var pending = new Queue<string>([$"{{\"batchId\":\"{batchId}\",\"step\":0}}"]);
        var deliveries = 0;
        while (pending.Count > 0 && deliveries++ < 50)
        {
            var body = pending.Dequeue();
            var failed = await consumer.InvokeAsync(ConsumerHarness.Message(body), crash.HasCrashed ? CancellationToken.None : crash.InvocationToken);
            if (failed.Count > 0)
            {
                pending.Enqueue(body);
            }

            while (steps!.Steps.TryDequeue(out var next))
            {
                pending.Enqueue(next);
            }
        }

        var expanded = (await batches.GetAsync(batchId, CancellationToken.None))!;
        var done = await Eventually.WaitForAsync(
            () => batches.GetAsync(batchId, CancellationToken.None)!,
            b => b!.NotifiedAt is not null,
            TimeSpan.FromMinutes(4),
            "every job of the batch to finish and the batch to report");
        using var results = await stack.Services.GetRequiredService<IAmazonS3>().GetObjectAsync(stack.Options.BucketName, BatchFiles.ResultsKey(batchId));
        using var reader = new StreamReader(results.ResponseStream);
        var lines = (await reader.ReadToEndAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => System.Text.Json.JsonSerializer.Deserialize(l, BatchJsonContext.Default.BatchResultLine)!).ToList();
        var jobIds = lines.Where(l => l.JobId is not null).Select(l => l.JobId!).ToList();
        var jobs = await consumer.Store.GetManyAsync(jobIds, CancellationToken.None);

        Assert.That(crash.HasCrashed, Is.True, "the invocation was killed mid-expansion");
        Assert.That(expanded.Status, Is.Not.EqualTo(BatchStatus.Expanding), "the expansion finished after the crash");
        Assert.That(expanded.Created, Is.EqualTo(Items), "each chunk recorded once");
        Assert.That((done!.Status, done.Total, done.Invalid, done.Remaining), Is.EqualTo((BatchStatus.Completed, Items + 1, 1, 0)));
        Assert.That(done.Succeeded, Is.EqualTo(Items), "every job counted once");
        Assert.That(lines, Has.Count.EqualTo(Items + 1));
        Assert.That(lines.Select(l => l.Index), Is.EqualTo(Enumerable.Range(0, Items + 1)));
        Assert.That(jobIds.Distinct().Count(), Is.EqualTo(Items));
        Assert.That(jobs.Values.Count(j => j.Status == JobStatus.Succeeded && j.BatchCounted), Is.EqualTo(Items));
        Assert.That(lines[^1].Status, Is.EqualTo("invalid"));
        Assert.That(lines[1234].Metadata!["n"], Is.EqualTo("1234"));
    }
}
