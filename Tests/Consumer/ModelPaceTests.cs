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

        var bulk = await clock.RunAsync(Task.WhenAll(Enumerable.Range(0, 2_000).Select(_ => pace.TakeBulkAsync(Model, CancellationToken.None))));
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

        var asked = Enumerable.Range(0, 12).Select(i => i % 4 == 3 ? pace.TakeAsync(Model, CancellationToken.None).ContinueWith(t => (Single: true, Slot: t.Result), TaskScheduler.Default) : pace.TakeBulkAsync(Model, CancellationToken.None).ContinueWith(t => (Single: false, t.Result.Slot), TaskScheduler.Default)).ToList();
        var claims = await clock.RunAsync(Task.WhenAll(asked));

        var singles = claims.Where(c => c.Single).Select(c => (c.Slot - start).TotalSeconds).ToArray();
        var batch = claims.Where(c => !c.Single).Select(c => (c.Slot - start).TotalSeconds).ToArray();
        Assert.That(singles, Is.All.EqualTo(0).Within(0.05), "the three single jobs are in the burst");
        Assert.That(batch.Count(b => b < 0.05), Is.EqualTo(2), "batch jobs get the rest of it");
    }
}
