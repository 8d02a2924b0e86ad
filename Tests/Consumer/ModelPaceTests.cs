using Amazon.DynamoDBv2;
using Jobs.Consumer.Pacing;
using Jobs.Shared.Storage;
using Jobs.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Jobs.Tests.Consumer;

/// <summary>The pace against DynamoDB Local (a table per test) on a stepping clock: slots, shared buckets, AIMD.</summary>
public sealed class ModelPaceTests
{
    private const string Model = "stability.stable-image-core-v1:1";
    private CountingStore _store = null!;

    [SetUp]
    public async Task CreateTableAsync()
    {
        var stack = await TestStack.GetAsync();
        var dynamo = stack.Services.GetRequiredService<IAmazonDynamoDB>();
        var table = "pace-test-" + Guid.NewGuid().ToString("N");
        await dynamo.CreateTableAsync(JobTable.Definition(table));
        _store = new CountingStore(new DynamoDbPaceStore(dynamo, new JobStoreOptions { TableName = table }));
    }

    private ModelPace Pace(SteppingClock clock, Action<PaceOptions>? configure = null)
    {
        var options = new PaceOptions { BurstSeconds = 5 };
        options.Quotas[Model] = 60;
        configure?.Invoke(options);
        return new ModelPace(_store, options, clock, NullLogger<ModelPace>.Instance);
    }

    [Test]
    public async Task Calls_up_to_the_burst_go_now_and_the_rest_get_their_own_slots_one_interval_apart()
    {
        var clock = new SteppingClock();
        var pace = Pace(clock);
        var start = clock.GetUtcNow();

        var slots = await clock.RunAsync(Task.WhenAll(Enumerable.Range(0, 8).Select(_ => pace.TakeAsync(Model, CancellationToken.None))));

        // 60 a minute is one a second; a 5-second burst lets five go at once.
        var offsets = slots.Select(s => (s - start).TotalSeconds).Order().ToArray();
        Assert.That(offsets, Is.EqualTo(new[] { 0, 0, 0, 0, 0, 1, 2, 3 }).Within(0.02));
        Assert.That(_store.Writes, Is.EqualTo(1), "records asking together share one write");
    }

    [Test]
    public async Task Two_consumers_drawing_from_one_bucket_never_hand_out_the_same_slot()
    {
        var clock = new SteppingClock();
        var first = Pace(clock);
        var second = Pace(clock);
        var start = clock.GetUtcNow();
        _store.RaceFirstTwoReads = true;

        var slots = await clock.RunAsync(Task.WhenAll(Enumerable.Range(0, 20).Select(i => (i % 2 == 0 ? first : second).TakeAsync(Model, CancellationToken.None))));

        var offsets = slots.Select(s => (s - start).TotalSeconds).Order().ToArray();
        Assert.That(offsets.Count(o => o < 0.02), Is.EqualTo(5), "one burst between them, not one each");
        Assert.That(offsets.Skip(5).Zip(offsets.Skip(6), (a, b) => b - a), Has.All.GreaterThanOrEqualTo(0.99), "every later slot one interval after the one before");
        Assert.That(_store.Refused, Is.GreaterThan(0), "they raced, and the loser recomputed from the winner's state");
    }

    [Test]
    public async Task A_throttle_lowers_the_rate_once_per_window_and_pauses_the_bucket()
    {
        var clock = new SteppingClock();
        var pace = Pace(clock);
        await clock.RunAsync(pace.TakeAsync(Model, CancellationToken.None));

        await pace.ThrottledAsync(Model, CancellationToken.None);
        await pace.ThrottledAsync(Model, CancellationToken.None);
        var afterOneWindow = (await _store.GetAsync(Model, CancellationToken.None))!.Rate;
        clock.Advance(TimeSpan.FromSeconds(11));
        await pace.ThrottledAsync(Model, CancellationToken.None);
        var afterTwo = (await _store.GetAsync(Model, CancellationToken.None))!.Rate;

        Assert.That(afterOneWindow, Is.EqualTo(48).Within(0.001), "two throttles in one window are one signal: 60 x 0.8");
        Assert.That(afterTwo, Is.EqualTo(38.4).Within(0.001));
    }

    [Test]
    public async Task Full_use_without_throttles_raises_the_rate_slowly_and_never_past_the_ceiling()
    {
        var clock = new SteppingClock();
        var pace = Pace(clock, o => o.CeilingMultiple = 1.05);

        // Ten minutes of asking for more than the pace allows, and no throttle.
        for (var minute = 0; minute < 10; minute++)
        {
            await clock.RunAsync(Task.WhenAll(Enumerable.Range(0, 70).Select(_ => pace.TakeAsync(Model, CancellationToken.None))));
            clock.Advance(TimeSpan.FromMinutes(1));
        }

        var rate = (await _store.GetAsync(Model, CancellationToken.None))!.Rate;
        Assert.That(rate, Is.EqualTo(63).Within(0.001), "up by one a minute once quiet for two minutes, capped at 1.05 x 60");
    }

    [Test]
    public async Task A_model_with_no_configured_quota_starts_at_the_default()
    {
        var clock = new SteppingClock();
        var pace = Pace(clock, o => o.DefaultQuota = 12);
        var start = clock.GetUtcNow();

        var slots = await clock.RunAsync(Task.WhenAll(Enumerable.Range(0, 3).Select(_ => pace.TakeAsync("amazon.nova-canvas-v1:0", CancellationToken.None))));

        // 12 a minute is one every 5 s; a 5-second burst is one call.
        Assert.That(slots.Select(s => (s - start).TotalSeconds).Order(), Is.EqualTo(new[] { 0, 5, 10 }).Within(0.02));
    }

    [Test]
    public async Task With_pacing_off_every_call_goes_now_and_nothing_is_written()
    {
        var clock = new SteppingClock();
        var pace = Pace(clock, o => o.Enabled = false);

        var slots = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => pace.TakeAsync(Model, CancellationToken.None)));

        Assert.That(slots.Distinct(), Is.EqualTo(new[] { clock.GetUtcNow() }));
        Assert.That(_store.Writes, Is.Zero);
    }

    [Test]
    public async Task A_batch_job_turned_away_comes_back_when_the_line_ahead_of_it_is_served_and_then_gets_its_slot()
    {
        var clock = new SteppingClock();
        var pace = Pace(clock, o => o.BulkHorizon = TimeSpan.FromSeconds(2));
        var start = clock.GetUtcNow();

        var first = await clock.RunAsync(Task.WhenAll(Enumerable.Range(0, 100).Select(_ => pace.TakeBulkAsync(Model, returning: false, CancellationToken.None))));

        // Five in the burst and two within the horizon; each of the other 93 is told its own time, one interval apart.
        var comeBack = first.Where(c => !c.Reserved).Select(c => c.Slot).Order().ToList();
        Assert.That(first.Count(c => c.Reserved), Is.EqualTo(7));
        Assert.That(comeBack, Has.Count.EqualTo(93));
        Assert.That((comeBack[0] - start).TotalSeconds, Is.EqualTo(3).Within(0.1), "the first comes back when the booked slots are used");
        Assert.That(comeBack.Zip(comeBack.Skip(1), (a, b) => (b - a).TotalSeconds), Has.All.EqualTo(1).Within(0.02), "the line moves one call an interval");

        // Each comes back at its time and is served then: one wait per job, however long the line.
        var served = new List<double>();
        foreach (var due in comeBack)
        {
            if (due > clock.GetUtcNow())
            {
                clock.Advance(due - clock.GetUtcNow());
            }

            var claim = await clock.RunAsync(pace.TakeBulkAsync(Model, returning: true, CancellationToken.None));
            Assert.That(claim.Reserved, Is.True, $"the job due at +{(due - start).TotalSeconds:0.#} s is served when it comes back");
            served.Add((claim.Slot - due).TotalSeconds);
        }

        Assert.That(served, Has.All.LessThanOrEqualTo(2.0), "each slot is within the horizon of the job's return");
    }

    [Test]
    public async Task A_batch_job_asking_for_the_first_time_joins_the_back_of_the_line_instead_of_taking_a_returning_jobs_slot()
    {
        var clock = new SteppingClock();
        var pace = Pace(clock, o => o.BulkHorizon = TimeSpan.FromSeconds(2));
        var first = await clock.RunAsync(Task.WhenAll(Enumerable.Range(0, 20).Select(_ => pace.TakeBulkAsync(Model, returning: false, CancellationToken.None))));
        var line = first.Where(c => !c.Reserved).Select(c => c.Slot).Order().ToList();
        clock.Advance(line[0] - clock.GetUtcNow());

        var newcomer = await clock.RunAsync(pace.TakeBulkAsync(Model, returning: false, CancellationToken.None));
        var returning = await clock.RunAsync(pace.TakeBulkAsync(Model, returning: true, CancellationToken.None));

        Assert.That(newcomer.Reserved, Is.False);
        Assert.That((newcomer.Slot - line[^1]).TotalSeconds, Is.EqualTo(1).Within(0.05), "behind the last job told to come back");
        Assert.That(returning.Reserved, Is.True, "the job whose turn it is is served");
    }

    [TestCase(0.0)]
    [TestCase(0.1)]
    [TestCase(0.25)]
    public async Task While_single_jobs_ask_for_more_than_the_quota_batch_jobs_still_get_their_share_and_the_quota_holds(double share)
    {
        var clock = new SteppingClock();
        var pace = Pace(clock, o =>
        {
            o.BulkHorizon = TimeSpan.FromSeconds(2);
            o.BulkShare = share;
        });
        var start = clock.GetUtcNow();
        const int Seconds = 240;

        // Thirty single jobs booked ahead at once, then two a second (twice the quota) for four minutes;
        // fifty batch jobs waiting throughout, each coming back when told and replaced when served.
        var singles = new List<DateTimeOffset>();
        var bulk = new List<DateTimeOffset>();
        var batchJobs = Enumerable.Range(0, 50).Select(_ => (Due: start, Returning: false)).ToList();
        for (var second = 0; second < Seconds; second++)
        {
            var asks = second == 0 ? 30 : 2;
            singles.AddRange(await clock.RunAsync(Task.WhenAll(Enumerable.Range(0, asks).Select(_ => pace.TakeAsync(Model, CancellationToken.None)))));
            var now = clock.GetUtcNow();
            var due = batchJobs.Where(j => j.Due <= now).ToList();
            batchJobs.RemoveAll(j => j.Due <= now);
            var claims = await clock.RunAsync(Task.WhenAll(due.Select(j => pace.TakeBulkAsync(Model, j.Returning, CancellationToken.None))));
            foreach (var claim in claims)
            {
                if (claim.Reserved)
                {
                    bulk.Add(claim.Slot);
                    batchJobs.Add((now, false));
                }
                else
                {
                    batchJobs.Add((claim.Slot, true));
                }
            }

            clock.Advance(start.AddSeconds(second + 1) - clock.GetUtcNow());
        }

        var end = start.AddSeconds(Seconds);
        var bulkCalls = bulk.Count(s => s < end);
        var singleCalls = singles.Count(s => s < end);
        var all = singles.Concat(bulk).Where(s => s < end).Order().ToList();
        var busiestMinute = all.Select((s, i) => all.Skip(i).TakeWhile(t => t < s.AddMinutes(1)).Count()).Max();
        TestContext.Out.WriteLine($"share {share}: {bulkCalls} batch calls, {singleCalls} single calls in {Seconds} s; busiest minute {busiestMinute}");

        // The thirty booked first run at the full rate (about 25 s), then bulk's share of the rest.
        var expected = share * (Seconds - 25);
        Assert.That(bulkCalls, Is.InRange(expected * 0.9, (expected * 1.1) + 5), "batch jobs get their share while single jobs want everything");
        Assert.That(bulkCalls + singleCalls, Is.InRange(Seconds - 5, Seconds + 6), "the quota is used in full (and the first burst at once)");
        Assert.That(busiestMinute, Is.LessThanOrEqualTo(60 + 5), "never more than a minute's quota and the burst in any minute");
    }

    /// <summary>The real store, counting its writes and refusals.</summary>
    private sealed class CountingStore(IPaceStore inner) : IPaceStore
    {
        private int _writes;
        private int _refused;

        public int Writes => Volatile.Read(ref _writes);

        public int Refused => Volatile.Read(ref _refused);

        private readonly TaskCompletionSource _bothRead = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _reads;

        /// <summary>When set, the first two reads answer only once both are done, so two consumers surely race on one state.</summary>
        public bool RaceFirstTwoReads { get; set; }

        public async Task<PaceState?> GetAsync(string model, CancellationToken cancellationToken)
        {
            var state = await inner.GetAsync(model, cancellationToken).ConfigureAwait(false);
            if (RaceFirstTwoReads)
            {
                var read = Interlocked.Increment(ref _reads);
                if (read == 2)
                {
                    _bothRead.TrySetResult();
                }

                if (read <= 2)
                {
                    await _bothRead.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
                }
            }

            return state;
        }

        public async Task<PaceWrite> TryReplaceAsync(string model, PaceState? expected, PaceState next, CancellationToken cancellationToken)
        {
            var write = await inner.TryReplaceAsync(model, expected, next, cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref write.Written ? ref _writes : ref _refused);
            return write;
        }
    }

    [Test]
    public async Task Batch_jobs_book_only_near_slots_so_a_single_job_behind_thousands_starts_within_the_horizon()
    {
        var clock = new SteppingClock();
        var pace = Pace(clock, o => o.BulkHorizon = TimeSpan.FromSeconds(2));
        var start = clock.GetUtcNow();

        var bulk = await clock.RunAsync(Task.WhenAll(Enumerable.Range(0, 2_000).Select(_ => pace.TakeBulkAsync(Model, returning: false, CancellationToken.None))));
        var single = await clock.RunAsync(pace.TakeAsync(Model, CancellationToken.None));

        // One a second with a 5-second burst: five now, then one at +1 s and one at +2 s; the rest wait unbooked.
        var booked = bulk.Where(c => c.Reserved).Select(c => (c.Slot - start).TotalSeconds).Order().ToArray();
        Assert.That(booked, Is.EqualTo(new[] { 0, 0, 0, 0, 0, 1, 2 }).Within(0.05));
        Assert.That(bulk.Where(c => !c.Reserved).All(c => c.Slot > start.AddSeconds(2)), Is.True, "an unbooked batch job is told to come back after the horizon");
        Assert.That((single - start).TotalSeconds, Is.EqualTo(3).Within(0.05), "the single job's turn is right after what batch jobs booked");
    }

    [Test]
    public async Task Single_jobs_asking_with_batch_jobs_get_the_first_slots()
    {
        var clock = new SteppingClock();
        var pace = Pace(clock, o => o.BulkHorizon = TimeSpan.FromSeconds(10));
        var start = clock.GetUtcNow();

        var asked = Enumerable.Range(0, 12).Select(i => i % 4 == 3 ? pace.TakeAsync(Model, CancellationToken.None).ContinueWith(t => (Single: true, Slot: t.Result), TaskScheduler.Default) : pace.TakeBulkAsync(Model, returning: false, CancellationToken.None).ContinueWith(t => (Single: false, t.Result.Slot), TaskScheduler.Default)).ToList();
        var claims = await clock.RunAsync(Task.WhenAll(asked));

        var singles = claims.Where(c => c.Single).Select(c => (c.Slot - start).TotalSeconds).ToArray();
        var batch = claims.Where(c => !c.Single).Select(c => (c.Slot - start).TotalSeconds).ToArray();
        Assert.That(singles, Is.All.EqualTo(0).Within(0.05), "the three single jobs are in the burst");
        Assert.That(batch.Count(b => b < 0.05), Is.InRange(1, 2), "batch jobs get what is left of it (single jobs space out a little while batch jobs wait)");
    }
}
