using Amazon.DynamoDBv2;
using Jobs.Shared.Jobs;
using Jobs.Shared.Storage;
using Jobs.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Jobs.Tests.Storage;

/// <summary>The status machine's conditional writes, against DynamoDB Local, each test on a table of its own.</summary>
public sealed class DynamoDbJobStoreTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 15, 12, 0, 0, TimeSpan.Zero);
    private DynamoDbJobStore _store = null!;
    private FakeTimeProvider _time = null!;

    [SetUp]
    public async Task CreateTableAsync()
    {
        var stack = await TestStack.GetAsync();
        var dynamo = stack.Services.GetRequiredService<IAmazonDynamoDB>();
        var table = "store-test-" + Guid.NewGuid().ToString("N");
        await dynamo.CreateTableAsync(JobTable.Definition(table));
        _store = new DynamoDbJobStore(dynamo, new JobStoreOptions { TableName = table });
        _time = new FakeTimeProvider(T0);
    }

    private async Task<Job> NewQueuedJobAsync(DateTimeOffset? createdAt = null)
    {
        var at = createdAt ?? _time.GetUtcNow();
        var job = new Job
        {
            Id = JobIds.New(new FakeTimeProvider(at)),
            Status = JobStatus.Queued,
            Request = new JobRequest { Prompt = "p", Model = "stability.stable-image-core-v1:1", AspectRatio = "1:1" },
            CreatedAt = at,
            UpdatedAt = at,
            ExpiresAt = at.AddDays(30),
        };
        await _store.CreateAsync(job, CancellationToken.None);
        return job;
    }

    [Test]
    public async Task A_created_job_reads_back_unchanged()
    {
        var job = await NewQueuedJobAsync();

        var read = await _store.GetAsync(job.Id, CancellationToken.None);

        Assert.That(read, Is.EqualTo(job with { Images = read!.Images }));
        Assert.That(read.Images, Is.Empty);
    }

    [Test]
    public async Task A_queued_job_is_claimed_once_and_the_second_claim_loses()
    {
        var job = await NewQueuedJobAsync();
        var lease = T0.AddMinutes(1);

        var first = await _store.TryClaimAsync(job.Id, T0, lease, CancellationToken.None);
        var second = await _store.TryClaimAsync(job.Id, T0.AddSeconds(1), lease, CancellationToken.None);

        Assert.That(first, Is.Not.Null);
        Assert.That(first!.Status, Is.EqualTo(JobStatus.Running));
        Assert.That(first.Attempts, Is.EqualTo(1));
        Assert.That(first.LeaseExpiresAt, Is.EqualTo(lease));
        Assert.That(second, Is.Null);
    }

    [Test]
    public async Task A_running_job_whose_lease_expired_can_be_claimed_again_with_a_new_attempt()
    {
        var job = await NewQueuedJobAsync();
        await _store.TryClaimAsync(job.Id, T0, T0.AddSeconds(30), CancellationToken.None);

        var taken = await _store.TryClaimAsync(job.Id, T0.AddSeconds(31), T0.AddSeconds(90), CancellationToken.None);

        Assert.That(taken!.Attempts, Is.EqualTo(2));
        Assert.That(taken.StartedAt, Is.EqualTo(T0), "startedAt keeps the first start");
    }

    [Test]
    public async Task A_worker_whose_claim_was_taken_over_cannot_finish_the_job()
    {
        var job = await NewQueuedJobAsync();
        var stale = await _store.TryClaimAsync(job.Id, T0, T0.AddSeconds(30), CancellationToken.None);
        var fresh = await _store.TryClaimAsync(job.Id, T0.AddSeconds(31), T0.AddSeconds(90), CancellationToken.None);
        var image = new JobImage("b", "k", "00", 1, 1, 1, 1);

        var staleWon = await _store.TryCompleteAsync(job.Id, stale!.Attempts, [image], T0.AddSeconds(32), CancellationToken.None);
        var freshWon = await _store.TryCompleteAsync(job.Id, fresh!.Attempts, [image], T0.AddSeconds(33), CancellationToken.None);

        Assert.That(staleWon, Is.False);
        Assert.That(freshWon, Is.True);
    }

    [Test]
    public async Task A_succeeded_job_never_changes_again()
    {
        var job = await NewQueuedJobAsync();
        var claimed = await _store.TryClaimAsync(job.Id, T0, T0.AddSeconds(30), CancellationToken.None);
        await _store.TryCompleteAsync(job.Id, claimed!.Attempts, [new JobImage("b", "k", "ab", 10, 2, 3, 4)], T0.AddSeconds(5), CancellationToken.None);

        var failed = await _store.TryFailAsync(job.Id, claimed.Attempts, new JobError("x", "y"), T0.AddSeconds(6), CancellationToken.None);
        var requeued = await _store.TryRequeueAsync(job.Id, claimed.Attempts, new JobError("x", "y"), T0.AddSeconds(6), CancellationToken.None);
        var reclaimed = await _store.TryClaimAsync(job.Id, T0.AddHours(1), T0.AddHours(2), CancellationToken.None);
        var deleted = await _store.DeleteQueuedAsync(job.Id, CancellationToken.None);

        var read = await _store.GetAsync(job.Id, CancellationToken.None);
        Assert.That((failed, requeued, reclaimed, deleted), Is.EqualTo((false, false, (Job?)null, false)));
        Assert.That(read!.Status, Is.EqualTo(JobStatus.Succeeded));
        Assert.That(read.Images.Single(), Is.EqualTo(new JobImage("b", "k", "ab", 10, 2, 3, 4)));
        Assert.That(read.CompletedAt, Is.EqualTo(T0.AddSeconds(5)));
        Assert.That(read.LeaseExpiresAt, Is.Null);
    }

    [Test]
    public async Task A_requeued_job_keeps_its_reason_and_can_be_claimed_again()
    {
        var job = await NewQueuedJobAsync();
        var claimed = await _store.TryClaimAsync(job.Id, T0, T0.AddSeconds(30), CancellationToken.None);

        Assert.That(await _store.TryRequeueAsync(job.Id, claimed!.Attempts, new JobError(JobErrorCodes.Throttled, "slow down"), T0.AddSeconds(1), CancellationToken.None), Is.True);
        var queued = await _store.GetAsync(job.Id, CancellationToken.None);
        var again = await _store.TryClaimAsync(job.Id, T0.AddSeconds(2), T0.AddSeconds(40), CancellationToken.None);

        Assert.That(queued!.Status, Is.EqualTo(JobStatus.Queued));
        Assert.That(queued.Error, Is.EqualTo(new JobError(JobErrorCodes.Throttled, "slow down")));
        Assert.That(again!.Attempts, Is.EqualTo(2));
    }

    [Test]
    public async Task Only_a_queued_job_can_be_withdrawn()
    {
        var queued = await NewQueuedJobAsync();
        var running = await NewQueuedJobAsync();
        await _store.TryClaimAsync(running.Id, T0, T0.AddSeconds(30), CancellationToken.None);

        Assert.That(await _store.DeleteQueuedAsync(queued.Id, CancellationToken.None), Is.True);
        Assert.That(await _store.DeleteQueuedAsync(running.Id, CancellationToken.None), Is.False);
        Assert.That(await _store.GetAsync(queued.Id, CancellationToken.None), Is.Null);
        Assert.That(await _store.GetAsync(running.Id, CancellationToken.None), Is.Not.Null);
    }

    [Test]
    public async Task Notified_at_is_set_by_the_first_call_only()
    {
        var job = await NewQueuedJobAsync();

        await _store.MarkNotifiedAsync(job.Id, T0.AddSeconds(1), CancellationToken.None);
        await _store.MarkNotifiedAsync(job.Id, T0.AddSeconds(9), CancellationToken.None);

        Assert.That((await _store.GetAsync(job.Id, CancellationToken.None))!.NotifiedAt, Is.EqualTo(T0.AddSeconds(1)));
    }

    [Test]
    public async Task Status_queries_page_newest_first_and_only_that_status()
    {
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await NewQueuedJobAsync(T0.AddMinutes(i))).Id);
        }

        var running = await NewQueuedJobAsync(T0.AddMinutes(10));
        await _store.TryClaimAsync(running.Id, T0, T0.AddSeconds(30), CancellationToken.None);

        var first = await _store.ListByStatusAsync(JobStatus.Queued, 2, null, CancellationToken.None);
        var second = await _store.ListByStatusAsync(JobStatus.Queued, 2, first.NextCursor, CancellationToken.None);
        var third = await _store.ListByStatusAsync(JobStatus.Queued, 2, second.NextCursor, CancellationToken.None);

        var seen = first.Items.Concat(second.Items).Concat(third.Items).Select(j => j.Id).ToList();
        Assert.That(seen, Is.EqualTo(Enumerable.Reverse(ids).ToList()));
        Assert.That(first.NextCursor, Is.Not.Null);
    }

    [Test]
    public void A_cursor_that_was_not_issued_is_rejected()
    {
        Assert.ThrowsAsync<InvalidCursorException>(() => _store.ListByStatusAsync(JobStatus.Queued, 2, "not-a-cursor", CancellationToken.None));
    }
}
