using Amazon.DynamoDBv2;
using Jobs.Consumer;
using Jobs.Consumer.Pacing;
using Jobs.Shared.Batches;
using Jobs.Shared.Jobs;
using Jobs.Shared.Storage;
using Jobs.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Jobs.Tests.Integration;

/// <summary>
/// The consumer with its pace on (its bucket on a table of its own): a burst beyond the pace runs
/// what the pace allows now, and sends the rest to wait for slots of their own, in order; each comes
/// back on its slot and runs without taking another, so every Bedrock call has exactly one slot.
/// </summary>
public sealed class PacingTests
{
    [Test]
    public async Task A_burst_beyond_the_pace_waits_for_reserved_slots_and_each_runs_on_its_own()
    {
        var stack = await TestStack.GetAsync();
        // 60 a minute, a burst of two; a table of its own, so no other test's calls share the bucket.
        var (paceStore, paced) = await PacedAsync(stack, 60, new PaceOptions { BurstSeconds = 2 });

        var options = new ConsumerOptions { MaxConcurrency = 10, DeadLetterQueueArn = stack.Options.Consumer.DeadLetterQueueArn, MinimumAttemptBudget = TimeSpan.FromSeconds(1) };
        await using var consumer = new ConsumerHarness(stack, paced, options);
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var jobs = new List<Job>();
        for (var i = 0; i < 5; i++)
        {
            jobs.Add(await consumer.CreateQueuedAsync($"paced {i} {suffix}", Model));
        }

        var redeliver = await consumer.InvokeAsync([.. jobs.Select(j => ConsumerHarness.MessageFor(j.Id))]);

        var store = stack.Services.GetRequiredService<IJobStore>();
        var first = await Task.WhenAll(jobs.Select(j => store.GetAsync(j.Id, CancellationToken.None)));
        Assert.That(redeliver, Is.Empty);
        Assert.That(first.Count(j => j!.Status == JobStatus.Succeeded), Is.EqualTo(2), "the burst ran at once");
        var waiting = first.Where(j => j!.Status == JobStatus.Queued).Select(j => j!).OrderBy(j => j.SlotAt).ToList();
        Assert.That(waiting, Has.Count.EqualTo(3));
        Assert.That(waiting.Select(j => j.Error!.Code), Is.All.EqualTo(JobErrorCodes.AwaitingCapacity));
        Assert.That(waiting.Select(j => (j.Attempts, j.Deferrals, j.Dispatch)), Is.All.EqualTo((0, 1, 2)), "waiting for a slot is not a try");
        var gaps = waiting.Zip(waiting.Skip(1), (a, b) => (b.SlotAt!.Value - a.SlotAt!.Value).TotalSeconds).ToList();
        Assert.That(gaps, Has.All.EqualTo(1).Within(0.05), "each its own slot, one interval apart");
        Assert.That(waiting.Select(j => j.DueAt), Is.EqualTo(waiting.Select(j => j.SlotAt)), "each message comes back at its slot");
        var bucket = await paceStore.GetAsync(Model, CancellationToken.None);

        // Later, each waiting job's message arrives on its slot (a clock moved on, not a sleep).
        foreach (var job in waiting)
        {
            await using var later = new ConsumerHarness(stack, paced, options, new ShiftedClock(job.SlotAt!.Value - DateTimeOffset.UtcNow));
            Assert.That(await later.InvokeAsync(ConsumerHarness.MessageFor(job.Id, receiveCount: 1) with { Body = $"{{\"jobId\":\"{job.Id}\",\"dispatch\":2}}" }), Is.Empty);
        }

        var done = await Task.WhenAll(waiting.Select(j => store.GetAsync(j.Id, CancellationToken.None)));
        Assert.That(done.Select(j => j!.Status), Is.All.EqualTo(JobStatus.Succeeded));
        Assert.That((await paceStore.GetAsync(Model, CancellationToken.None))!.Tat, Is.EqualTo(bucket!.Tat), "a job that held a slot took no other");
        Assert.That(jobs.Select(j => stack.Bedrock.GenerationsFor(j.Request.Prompt)), Is.All.EqualTo(1));
    }

    [Test]
    public async Task Batch_jobs_without_a_near_slot_wait_in_line_and_each_runs_on_its_one_return()
    {
        var stack = await TestStack.GetAsync();
        // 60 a minute, a burst of two, batch jobs booking at most 1 s ahead.
        var (_, paced) = await PacedAsync(stack, 60, new PaceOptions { BurstSeconds = 2, BulkHorizon = TimeSpan.FromSeconds(1) });

        var options = new ConsumerOptions { MaxConcurrency = 10, DeadLetterQueueArn = stack.Options.Consumer.DeadLetterQueueArn, MinimumAttemptBudget = TimeSpan.FromSeconds(1) };
        await using var consumer = new ConsumerHarness(stack, paced, options);
        var batch = await RunningBatchAsync(consumer);
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var jobs = new List<Job>();
        for (var i = 0; i < 8; i++)
        {
            var index = i;
            jobs.Add(await consumer.CreateQueuedAsync($"in line {i} {suffix}", Model, shape: j => j with { BatchId = batch.Id, BatchIndex = index }));
        }

        Assert.That(await consumer.InvokeAsync([.. jobs.Select(j => ConsumerHarness.MessageFor(j.Id))]), Is.Empty);

        var store = stack.Services.GetRequiredService<IJobStore>();
        var first = await Task.WhenAll(jobs.Select(j => store.GetAsync(j.Id, CancellationToken.None)));
        Assert.That(first.Count(j => j!.Status == JobStatus.Succeeded), Is.EqualTo(2), "the burst ran at once");
        Assert.That(first.Count(j => j!.Status == JobStatus.Queued && j.SlotAt is not null), Is.EqualTo(1), "one slot within the horizon is booked");
        var inLine = first.Where(j => j!.Status == JobStatus.Queued && j.SlotAt is null).Select(j => j!).OrderBy(j => j.DueAt).ToList();
        Assert.That(inLine, Has.Count.EqualTo(5));
        var gaps = inLine.Zip(inLine.Skip(1), (a, b) => (b.DueAt!.Value - a.DueAt!.Value).TotalSeconds).ToList();
        Assert.That(gaps, Has.All.EqualTo(1).Within(0.05), "each told its own turn, one interval apart");

        // Each comes back at its time (a clock moved on, not a sleep) and runs then.
        foreach (var job in first.Where(j => j!.Status == JobStatus.Queued).Select(j => j!).OrderBy(j => j.DueAt))
        {
            await using var later = new ConsumerHarness(stack, paced, options, new ShiftedClock(job.DueAt!.Value - DateTimeOffset.UtcNow));
            Assert.That(await later.InvokeAsync(ConsumerHarness.MessageFor(job.Id, receiveCount: 1) with { Body = $"{{\"jobId\":\"{job.Id}\",\"dispatch\":2}}" }), Is.Empty);
        }

        var done = await Task.WhenAll(jobs.Select(j => store.GetAsync(j.Id, CancellationToken.None)));
        Assert.That(done.Select(j => j!.Status), Is.All.EqualTo(JobStatus.Succeeded));
        Assert.That(done.Select(j => j!.Deferrals), Is.All.LessThanOrEqualTo(1), "no job sent back twice");
        Assert.That(jobs.Select(j => stack.Bedrock.GenerationsFor(j.Request.Prompt)), Is.All.EqualTo(1));
    }

    [Test]
    public async Task A_batch_job_whose_turn_in_line_comes_after_its_start_deadline_fails_at_once_without_a_call()
    {
        var stack = await TestStack.GetAsync();
        // 20 a minute (one every 3 s), a burst of two: the line's turns are 3, 6, 9, 12, 15 and 18 s away.
        var (_, paced) = await PacedAsync(stack, 20, new PaceOptions { BurstSeconds = 6, BulkHorizon = TimeSpan.FromSeconds(1) });

        var options = new ConsumerOptions { MaxConcurrency = 10, DeadLetterQueueArn = stack.Options.Consumer.DeadLetterQueueArn, MinimumAttemptBudget = TimeSpan.FromSeconds(1) };
        await using var consumer = new ConsumerHarness(stack, paced, options);
        var batch = await RunningBatchAsync(consumer);
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var startBy = batch.CreatedAt.AddSeconds(10);
        var jobs = new List<Job>();
        for (var i = 0; i < 8; i++)
        {
            var index = i;
            jobs.Add(await consumer.CreateQueuedAsync($"deadline in line {i} {suffix}", Model, shape: j => j with { BatchId = batch.Id, BatchIndex = index, StartBy = startBy }));
        }

        Assert.That(await consumer.InvokeAsync([.. jobs.Select(j => ConsumerHarness.MessageFor(j.Id))]), Is.Empty);

        var after = await Task.WhenAll(jobs.Select(j => consumer.Store.GetAsync(j.Id, CancellationToken.None)));
        var expired = after.Where(j => j!.Status == JobStatus.Failed).Select(j => j!).ToList();
        Assert.That(after.Count(j => j!.Status == JobStatus.Succeeded), Is.EqualTo(2), "the burst ran");
        Assert.That(after.Where(j => j!.Status == JobStatus.Queued).Select(j => j!.DueAt!.Value).ToList(), Has.Count.EqualTo(3).And.All.LessThanOrEqualTo(startBy), "turns before the deadline wait for them");
        Assert.That(expired.Select(j => j.Error!.Code), Is.EqualTo(Enumerable.Repeat(JobErrorCodes.Expired, 3)), "turns after it end now");
        Assert.That(expired.Select(j => stack.Bedrock.GenerationsFor(j.Request.Prompt)), Is.All.Zero);
    }

    private const string Model = "stability.sd3-5-large-v1:0";

    /// <summary>A pace bucket on a table of its own (no other test's calls share it) at <paramref name="quota"/> a minute, and the services that use it.</summary>
    private static async Task<(DynamoDbPaceStore Store, Action<IServiceCollection> Configure)> PacedAsync(Local.Hosting.LocalStack stack, double quota, PaceOptions pace)
    {
        var dynamo = stack.Services.GetRequiredService<IAmazonDynamoDB>();
        var table = "pace-" + Guid.NewGuid().ToString("N");
        await dynamo.CreateTableAsync(JobTable.Definition(table));
        var store = new DynamoDbPaceStore(dynamo, new JobStoreOptions { TableName = table });
        pace.Quotas[Model] = quota;
        return (store, services => services.AddSingleton(pace).AddSingleton<IPaceStore>(store));
    }

    /// <summary>A running batch far from done, for batch jobs to belong to (their counts never finish it).</summary>
    private static async Task<Batch> RunningBatchAsync(ConsumerHarness consumer)
    {
        var now = DateTimeOffset.UtcNow;
        var batch = new Batch
        {
            Id = JobIds.New(TimeProvider.System),
            Owner = JobTable.AnonymousOwner,
            Status = BatchStatus.Running,
            Manifest = new OutputLocation("jobs-manifests", "pacing.jsonl"),
            CreatedAt = now,
            UpdatedAt = now,
            ExpiresAt = now.AddDays(1),
            Total = 1_000,
            Created = 1_000,
            Remaining = 1_000,
        };
        await consumer.Get<IBatchStore>().CreateAsync(batch, CancellationToken.None);
        return batch;
    }
}
