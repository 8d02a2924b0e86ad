using System.Text;
using Amazon.DynamoDBv2;
using Jobs.Shared.Jobs;
using Jobs.Shared.Storage;
using Jobs.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Jobs.Tests.Storage;

/// <summary>The state machine's conditional writes, against DynamoDB Local, each test on a table of its own.</summary>
public sealed class DynamoDbJobStoreTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 15, 12, 0, 0, TimeSpan.Zero);
    private static readonly JobImage Image = new("b", "k", "ab", 10, 2, 3, 4);
    private DynamoDbJobStore _store = null!;
    private string _table = null!;

    [SetUp]
    public async Task CreateTableAsync()
    {
        var stack = await TestStack.GetAsync();
        var dynamo = stack.Services.GetRequiredService<IAmazonDynamoDB>();
        var table = "store-test-" + Guid.NewGuid().ToString("N");
        await dynamo.CreateTableAsync(JobTable.Definition(table));
        _table = table;
        _store = new DynamoDbJobStore(dynamo, new JobStoreOptions { TableName = table });
    }

    private async Task<Job> NewJobAsync(DateTimeOffset? createdAt = null, Func<Job, Job>? shape = null)
    {
        var at = createdAt ?? T0;
        var job = new Job
        {
            Id = JobIds.New(new FakeTimeProvider(at)),
            Status = JobStatus.Queued,
            Request = new JobRequest { Prompt = "p", Model = "stability.stable-image-core-v1:1", AspectRatio = "1:1" },
            CreatedAt = at,
            UpdatedAt = at,
            ExpiresAt = at.AddDays(30),
            DueAt = at,
        };
        job = shape?.Invoke(job) ?? job;
        await _store.CreateAsync(job, CancellationToken.None);
        return job;
    }

    [Test]
    public async Task A_created_job_reads_back_unchanged()
    {
        var job = await NewJobAsync(shape: j => j with { Status = JobStatus.Running, Attempts = 2, LeaseExpiresAt = T0.AddMinutes(1), StartedAt = T0, CancelRequestedAt = T0.AddSeconds(3), Deferrals = 4, Dispatch = 5 });

        var read = await _store.GetAsync(job.Id, CancellationToken.None);

        Assert.That(read, Is.EqualTo(job with { Images = read!.Images }));
        Assert.That(read.Images, Is.Empty);
    }

    /// <summary>
    /// Every event against a job in every status: the write happens exactly when the transition
    /// table lists that move. The job is set up so every guard of the event holds, so the status
    /// alone decides: a move the table does not list is refused by DynamoDB itself.
    /// </summary>
    [Test]
    public async Task Every_event_applies_in_exactly_the_statuses_the_table_lists([Values] JobEvent @event)
    {
        var cancelRequested = JobTransitions.For(@event).Any(t => t.Guard.HasFlag(JobGuard.CancelRequested));
        var outcomes = new List<string>();
        foreach (var status in Enum.GetValues<JobStatus>())
        {
            var job = await NewJobAsync(shape: j => j with
            {
                Status = status,
                Dispatch = 3,
                Attempts = 2,
                LeaseExpiresAt = status == JobStatus.Running ? T0.AddSeconds(-1) : null,
                CancelRequestedAt = cancelRequested ? T0 : null,
                CompletedAt = status.IsTerminal() ? T0 : null,
            });

            var write = await ApplyAsync(@event, job.Id);

            var expected = JobTransitions.Allows(status, @event);
            outcomes.Add($"{status}: {(write.IsApplied ? "applied" : "refused")}{(write.IsApplied == expected ? "" : " (WRONG)")}");
            if (write.IsApplied)
            {
                Assert.That(write.Job!.Status, Is.EqualTo(JobTransitions.Target(@event) ?? status), $"{@event} from {status}");
            }
            else
            {
                var current = await _store.GetAsync(job.Id, CancellationToken.None);
                Assert.That(write.Job! with { Images = current!.Images }, Is.EqualTo(current), "a refused write hands back the job as it is");
            }
        }

        Assert.That(outcomes, Has.None.Contains("WRONG"), string.Join("; ", outcomes));
    }

    private Task<JobWrite> ApplyAsync(JobEvent @event, string id) => @event switch
    {
        JobEvent.Claim => _store.ClaimAsync(id, 3, T0.AddMinutes(1), T0, CancellationToken.None),
        JobEvent.Complete => _store.CompleteAsync(id, 2, [Image], T0, CancellationToken.None),
        JobEvent.Fail => _store.FailAsync(id, 2, new JobError("x", "y"), T0, CancellationToken.None),
        JobEvent.Retry => _store.RetryAsync(id, 2, new JobError("x", "y"), T0.AddSeconds(5), T0, CancellationToken.None),
        JobEvent.Defer => _store.DeferAsync(id, 2, new JobError("x", "y"), T0.AddSeconds(5), null, T0, CancellationToken.None),
        JobEvent.CancelByWorker => _store.CancelByWorkerAsync(id, 2, T0, CancellationToken.None),
        JobEvent.Cancel => _store.CancelAsync(id, T0, CancellationToken.None),
        JobEvent.RequestCancel => _store.RequestCancelAsync(id, T0, CancellationToken.None),
        JobEvent.FailUnclaimed => _store.FailUnclaimedAsync(id, new JobError("x", "y"), T0, CancellationToken.None),
        JobEvent.Redispatch => _store.RedispatchAsync(id, 3, T0, T0, CancellationToken.None),
        JobEvent.MarkNotified => _store.MarkNotifiedAsync(id, JobStatus.Succeeded, T0, CancellationToken.None),
        _ => throw new ArgumentOutOfRangeException(nameof(@event)),
    };

    [Test]
    public async Task A_queued_job_is_claimed_once_for_its_dispatch_and_the_second_claim_loses()
    {
        var job = await NewJobAsync();
        var lease = T0.AddMinutes(1);

        var first = await _store.ClaimAsync(job.Id, 1, lease, T0, CancellationToken.None);
        var second = await _store.ClaimAsync(job.Id, 1, lease, T0.AddSeconds(1), CancellationToken.None);

        Assert.That(first.IsApplied, Is.True);
        Assert.That((first.Job!.Status, first.Job.Attempts, first.Job.LeaseExpiresAt), Is.EqualTo((JobStatus.Running, 1, (DateTimeOffset?)lease)));
        Assert.That(first.Job.DueAt, Is.EqualTo(job.DueAt), "a claim leaves dueAt (projected into the listing index) as it was");
        Assert.That(second.IsApplied, Is.False);
        Assert.That(second.Job!.Attempts, Is.EqualTo(1), "the loser sees the winner's claim");
    }

    [Test]
    public async Task A_message_that_comes_before_the_job_is_due_cannot_claim()
    {
        var job = await NewJobAsync(shape: j => j with { DueAt = T0.AddMinutes(20) });

        var early = await _store.ClaimAsync(job.Id, 1, T0.AddMinutes(1), T0, CancellationToken.None);
        var onTime = await _store.ClaimAsync(job.Id, 1, T0.AddMinutes(21), T0.AddMinutes(20), CancellationToken.None);

        Assert.That(early.IsApplied, Is.False, "SQS delays 15 minutes at most; an early message starts nothing");
        Assert.That(early.Job!.DueAt, Is.EqualTo(T0.AddMinutes(20)), "the refusal says when it is due");
        Assert.That(onTime.IsApplied, Is.True);
    }

    [Test]
    public async Task A_message_of_an_older_dispatch_cannot_claim()
    {
        var job = await NewJobAsync(shape: j => j with { Dispatch = 2 });

        var stale = await _store.ClaimAsync(job.Id, 1, T0.AddMinutes(1), T0, CancellationToken.None);

        Assert.That(stale.IsApplied, Is.False);
        Assert.That(stale.Job!.Status, Is.EqualTo(JobStatus.Queued));
    }

    [Test]
    public async Task A_running_job_whose_lease_expired_can_be_claimed_again_with_a_new_attempt()
    {
        var job = await NewJobAsync();
        await _store.ClaimAsync(job.Id, 1, T0.AddSeconds(30), T0, CancellationToken.None);

        var early = await _store.ClaimAsync(job.Id, 1, T0.AddSeconds(90), T0.AddSeconds(29), CancellationToken.None);
        var taken = await _store.ClaimAsync(job.Id, 1, T0.AddSeconds(90), T0.AddSeconds(31), CancellationToken.None);

        Assert.That(early.IsApplied, Is.False, "a live lease protects the job");
        Assert.That(taken.Job!.Attempts, Is.EqualTo(2));
        Assert.That(taken.Job.StartedAt, Is.EqualTo(T0), "startedAt keeps the first start");
    }

    [Test]
    public async Task A_worker_whose_claim_was_taken_over_cannot_finish_the_job()
    {
        var job = await NewJobAsync();
        var stale = (await _store.ClaimAsync(job.Id, 1, T0.AddSeconds(30), T0, CancellationToken.None)).Job!;
        var fresh = (await _store.ClaimAsync(job.Id, 1, T0.AddSeconds(90), T0.AddSeconds(31), CancellationToken.None)).Job!;

        var staleWon = await _store.CompleteAsync(job.Id, stale.Attempts, [Image], T0.AddSeconds(32), CancellationToken.None);
        var freshWon = await _store.CompleteAsync(job.Id, fresh.Attempts, [Image], T0.AddSeconds(33), CancellationToken.None);

        Assert.That(staleWon.IsApplied, Is.False);
        Assert.That(freshWon.IsApplied, Is.True);
        Assert.That((freshWon.Job!.Status, freshWon.Job.Images.Single(), freshWon.Job.LeaseExpiresAt), Is.EqualTo((JobStatus.Succeeded, Image, (DateTimeOffset?)null)));
    }

    [Test]
    public async Task A_retry_and_a_deferral_move_the_job_to_its_next_dispatch_and_only_a_deferral_hands_the_attempt_back()
    {
        var retried = await NewJobAsync();
        var deferred = await NewJobAsync();
        var attempt = (await _store.ClaimAsync(retried.Id, 1, T0.AddMinutes(1), T0, CancellationToken.None)).Job!.Attempts;
        await _store.ClaimAsync(deferred.Id, 1, T0.AddMinutes(1), T0, CancellationToken.None);

        var retry = await _store.RetryAsync(retried.Id, attempt, new JobError(JobErrorCodes.Transient, "500"), T0.AddSeconds(4), T0, CancellationToken.None);
        var defer = await _store.DeferAsync(deferred.Id, attempt, new JobError(JobErrorCodes.Throttled, "slow down"), T0.AddSeconds(9), T0.AddSeconds(9), T0, CancellationToken.None);

        Assert.That((retry.Job!.Status, retry.Job.Dispatch, retry.Job.Attempts, retry.Job.Deferrals, retry.Job.DueAt), Is.EqualTo((JobStatus.Queued, 2, 1, 0, (DateTimeOffset?)T0.AddSeconds(4))));
        Assert.That((defer.Job!.Status, defer.Job.Dispatch, defer.Job.Attempts, defer.Job.Deferrals, defer.Job.DueAt), Is.EqualTo((JobStatus.Queued, 2, 0, 1, (DateTimeOffset?)T0.AddSeconds(9))));
        Assert.That(defer.Job.Error, Is.EqualTo(new JobError(JobErrorCodes.Throttled, "slow down")));
        Assert.That(defer.Job.SlotAt, Is.EqualTo(T0.AddSeconds(9)), "the pace slot it was given travels with it");
    }

    [Test]
    public async Task A_requested_cancel_refuses_the_retry_and_the_deferral_so_the_worker_cancels()
    {
        var job = await NewJobAsync();
        var attempt = (await _store.ClaimAsync(job.Id, 1, T0.AddMinutes(1), T0, CancellationToken.None)).Job!.Attempts;
        await _store.RequestCancelAsync(job.Id, T0.AddSeconds(1), CancellationToken.None);

        var defer = await _store.DeferAsync(job.Id, attempt, new JobError(JobErrorCodes.Throttled, "t"), T0.AddSeconds(9), null, T0.AddSeconds(2), CancellationToken.None);
        var retry = await _store.RetryAsync(job.Id, attempt, new JobError(JobErrorCodes.Transient, "t"), T0.AddSeconds(9), T0.AddSeconds(2), CancellationToken.None);
        var cancel = await _store.CancelByWorkerAsync(job.Id, attempt, T0.AddSeconds(3), CancellationToken.None);

        Assert.That((defer.IsApplied, retry.IsApplied), Is.EqualTo((false, false)));
        Assert.That(defer.Job!.CancelRequestedAt, Is.EqualTo(T0.AddSeconds(1)));
        Assert.That((cancel.Job!.Status, cancel.Job.CompletedAt), Is.EqualTo((JobStatus.Canceled, (DateTimeOffset?)T0.AddSeconds(3))));
    }

    [Test]
    public async Task Notified_at_is_set_by_the_first_call_only_and_only_on_a_finished_job()
    {
        var queued = await NewJobAsync();
        var done = await NewJobAsync(shape: j => j with { Status = JobStatus.Succeeded, CompletedAt = T0 });

        var early = await _store.MarkNotifiedAsync(queued.Id, JobStatus.Queued, T0, CancellationToken.None);
        await _store.MarkNotifiedAsync(done.Id, JobStatus.Succeeded, T0.AddSeconds(1), CancellationToken.None);
        var again = await _store.MarkNotifiedAsync(done.Id, JobStatus.Succeeded, T0.AddSeconds(9), CancellationToken.None);

        Assert.That(early.IsApplied, Is.False);
        Assert.That(again.IsApplied, Is.False);
        Assert.That((await _store.GetAsync(done.Id, CancellationToken.None))!.NotifiedAt, Is.EqualTo(T0.AddSeconds(1)));
    }

    [Test]
    public async Task The_stranded_list_holds_overdue_messages_dead_leases_and_missing_notices_only()
    {
        var cutoff = T0.AddMinutes(10);
        var overdue = await NewJobAsync(shape: j => j with { DueAt = cutoff.AddSeconds(-1) });
        await NewJobAsync(shape: j => j with { DueAt = cutoff.AddSeconds(1) });
        var deadLease = await NewJobAsync(shape: j => j with { Status = JobStatus.Running, Attempts = 1, LeaseExpiresAt = cutoff.AddSeconds(-1), DueAt = T0 });
        await NewJobAsync(shape: j => j with { Status = JobStatus.Running, Attempts = 1, LeaseExpiresAt = cutoff.AddSeconds(1), DueAt = null });
        var unnoticed = await NewJobAsync(shape: j => j with { Status = JobStatus.Failed, CompletedAt = cutoff.AddSeconds(-1), DueAt = null });
        await NewJobAsync(shape: j => j with { Status = JobStatus.Succeeded, CompletedAt = cutoff.AddSeconds(-1), NotifiedAt = cutoff, DueAt = null });
        await NewJobAsync(shape: j => j with { Status = JobStatus.Canceled, CompletedAt = cutoff.AddSeconds(1), DueAt = null });
        var longAgo = await NewJobAsync(T0.AddDays(-3), j => j with { Status = JobStatus.Succeeded, CompletedAt = T0.AddDays(-3), DueAt = null });

        var stranded = new List<string>();
        await foreach (var job in _store.ListStrandedAsync(cutoff, CancellationToken.None))
        {
            stranded.Add(job.Id);
        }

        // A finished job without its notice stays with the active ones however old it is: none is forgotten.
        Assert.That(stranded, Is.EquivalentTo(new[] { overdue.Id, deadLease.Id, unnoticed.Id, longAgo.Id }));
    }

    [Test]
    public async Task Status_queries_page_newest_first_and_only_that_status()
    {
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await NewJobAsync(T0.AddMinutes(i))).Id);
        }

        var running = await NewJobAsync(T0.AddMinutes(10));
        await _store.ClaimAsync(running.Id, 1, T0.AddMinutes(11), T0.AddMinutes(10), CancellationToken.None);

        var first = await _store.ListByStatusAsync(JobTable.AnonymousOwner, JobStatus.Queued, 2, null, CancellationToken.None);
        var second = await _store.ListByStatusAsync(JobTable.AnonymousOwner, JobStatus.Queued, 2, first.NextCursor, CancellationToken.None);
        var third = await _store.ListByStatusAsync(JobTable.AnonymousOwner, JobStatus.Queued, 2, second.NextCursor, CancellationToken.None);

        var seen = first.Items.Concat(second.Items).Concat(third.Items).Select(j => j.Id).ToList();
        Assert.That(seen, Is.EqualTo(Enumerable.Reverse(ids).ToList()));
        Assert.That(first.NextCursor, Is.Not.Null);
        Assert.That(third.NextCursor, Is.Null);
    }

    [Test]
    public async Task A_page_that_ends_exactly_at_the_last_job_carries_no_cursor()
    {
        var ids = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            ids.Add((await NewJobAsync(T0.AddMinutes(i))).Id);
        }

        // A running job older than all of them shares the index partition and must not count as "more".
        var running = await NewJobAsync(T0.AddMinutes(-5));
        await _store.ClaimAsync(running.Id, 1, T0.AddMinutes(1), T0, CancellationToken.None);

        var first = await _store.ListByStatusAsync(JobTable.AnonymousOwner, JobStatus.Queued, 2, null, CancellationToken.None);
        var second = await _store.ListByStatusAsync(JobTable.AnonymousOwner, JobStatus.Queued, 2, first.NextCursor, CancellationToken.None);
        var all = await _store.ListByStatusAsync(JobTable.AnonymousOwner, JobStatus.Queued, 4, null, CancellationToken.None);

        Assert.That(first.Items.Concat(second.Items).Select(j => j.Id), Is.EqualTo(Enumerable.Reverse(ids)));
        Assert.That(first.NextCursor, Is.Not.Null);
        Assert.That(second.NextCursor, Is.Null, "the second page holds the last two");
        Assert.That(all.Items, Has.Count.EqualTo(4));
        Assert.That(all.NextCursor, Is.Null);
    }

    [Test]
    public async Task An_idempotency_key_holds_its_job_until_it_expires_then_makes_a_new_one()
    {
        Job Fresh() => new()
        {
            Id = JobIds.New(new FakeTimeProvider(T0)),
            Status = JobStatus.Queued,
            Request = new JobRequest { Prompt = "p", Model = "stability.stable-image-core-v1:1", AspectRatio = "1:1" },
            CreatedAt = T0,
            UpdatedAt = T0,
            ExpiresAt = T0.AddDays(30),
            DueAt = T0,
        };
        var first = Fresh();
        var second = Fresh();
        var third = Fresh();

        var made = await _store.CreateWithKeyAsync(first, new("k-1", "hash-a", first.Id, T0.AddHours(1)), T0, CancellationToken.None);
        var held = await _store.CreateWithKeyAsync(second, new("k-1", "hash-b", second.Id, T0.AddHours(2)), T0.AddMinutes(59), CancellationToken.None);
        var after = await _store.CreateWithKeyAsync(third, new("k-1", "hash-c", third.Id, T0.AddHours(3)), T0.AddHours(1), CancellationToken.None);

        Assert.That(made.IsCreated, Is.True);
        Assert.That(held.Existing, Is.EqualTo(new IdempotencyRecord("k-1", "hash-a", first.Id, T0.AddHours(1))));
        Assert.That(await _store.GetAsync(second.Id, CancellationToken.None), Is.Null, "a held key writes no job");
        Assert.That(after.IsCreated, Is.True, "an expired key is given up even before TTL removes it");
        Assert.That(await _store.GetAsync(third.Id, CancellationToken.None), Is.Not.Null);
    }

    [Test]
    public async Task A_listing_narrows_to_a_creation_window_and_a_model()
    {
        var early = await NewJobAsync(T0);
        var middle = await NewJobAsync(T0.AddMinutes(10));
        var ultra = await NewJobAsync(T0.AddMinutes(11), j => j with { Request = j.Request with { Model = "stability.stable-image-ultra-v1:1" } });
        var late = await NewJobAsync(T0.AddMinutes(20));

        var window = await _store.ListByStatusAsync(JobTable.AnonymousOwner, JobStatus.Queued, 10, null, CancellationToken.None, new JobListFilter(CreatedAfter: T0.AddMinutes(10), CreatedBefore: T0.AddMinutes(15)));
        var since = await _store.ListByStatusAsync(JobTable.AnonymousOwner, JobStatus.Queued, 10, null, CancellationToken.None, new JobListFilter(CreatedAfter: T0.AddMinutes(11)));
        var ultras = await _store.ListByStatusAsync(JobTable.AnonymousOwner, JobStatus.Queued, 10, null, CancellationToken.None, new JobListFilter(Model: "stability.stable-image-ultra-v1:1"));

        Assert.That(window.Items.Select(j => j.Id), Is.EqualTo(new[] { ultra.Id, middle.Id }), "both ends inclusive, newest first");
        Assert.That(since.Items.Select(j => j.Id), Is.EqualTo(new[] { late.Id, ultra.Id }));
        Assert.That(ultras.Items.Select(j => j.Id), Is.EqualTo(new[] { ultra.Id }));
        Assert.That(window.Items.Select(j => j.Id), Does.Not.Contain(early.Id));
    }

    [Test]
    public void A_cursor_that_was_not_issued_is_rejected()
    {
        Assert.ThrowsAsync<InvalidCursorException>(() => _store.ListByStatusAsync(JobTable.AnonymousOwner, JobStatus.Queued, 2, "not-a-cursor", CancellationToken.None));
    }

    [Test]
    public async Task An_issued_cursor_edited_into_another_status_or_signed_under_another_key_is_refused()
    {
        for (var i = 0; i < 3; i++)
        {
            await NewJobAsync(T0.AddMinutes(i));
        }

        var first = await _store.ListByStatusAsync(JobTable.AnonymousOwner, JobStatus.Queued, 1, null, CancellationToken.None);
        var cursor = first.NextCursor!;
        var dot = cursor.IndexOf('.', StringComparison.Ordinal);
        var json = Encoding.UTF8.GetString(Convert.FromBase64String(Pad(cursor[..dot].Replace('-', '+').Replace('_', '/'))));
        var edited = Convert.ToBase64String(Encoding.UTF8.GetBytes(json.Replace("\"active\"", "\"succeeded\"", StringComparison.Ordinal))).TrimEnd('=').Replace('+', '-').Replace('/', '_') + cursor[dot..];
        var otherDeployment = new DynamoDbJobStore((await TestStack.GetAsync()).Services.GetRequiredService<IAmazonDynamoDB>(), new JobStoreOptions { TableName = _table });

        var followed = await _store.ListByStatusAsync(JobTable.AnonymousOwner, JobStatus.Queued, 1, cursor, CancellationToken.None);
        Assert.That(json, Does.Contain("\"active\""), "the cursor names the partition it was issued for");
        Assert.That(followed.Items, Has.Count.EqualTo(1), "the unedited cursor pages on");
        Assert.ThrowsAsync<InvalidCursorException>(() => _store.ListByStatusAsync(JobTable.AnonymousOwner, JobStatus.Succeeded, 1, edited, CancellationToken.None));
        Assert.ThrowsAsync<InvalidCursorException>(() => otherDeployment.ListByStatusAsync(JobTable.AnonymousOwner, JobStatus.Queued, 1, cursor, CancellationToken.None));
    }

    private static string Pad(string base64) => base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
}
