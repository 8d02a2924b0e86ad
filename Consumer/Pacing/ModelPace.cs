using Microsoft.Extensions.Logging;

namespace Jobs.Consumer.Pacing;

/// <summary>
/// Paces Bedrock calls to each model's quota, shared by every consumer through one stored bucket
/// per model (GCRA with reservations). A call either goes now or is given its own slot later, in
/// order behind the calls ahead of it, so a job waits exactly until its turn instead of guessing.
/// The rate is learned (AIMD): a throttle lowers it at once, a spell of full, throttle-free use
/// raises it slowly, so a quota nobody configured, or one AWS changed, is found without an operator.
/// Records of one invocation that ask at nearly the same time share one conditional write.
/// </summary>
public sealed partial class ModelPace(IPaceStore store, PaceOptions options, TimeProvider time, ILogger<ModelPace> logger)
{
    /// <summary>A consumer gives up on a write after this many lost races (each hands back the winner's state).</summary>
    private const int MaxRaces = 8;

    private readonly Dictionary<string, ModelQueue> _queues = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>When the caller's call to <paramref name="model"/> may start: now, or its reserved slot later.</summary>
    public async Task<DateTimeOffset> TakeAsync(string model, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!options.Enabled)
        {
            return time.GetUtcNow();
        }

        return (await ClaimAsync(model, bulk: false, cancellationToken).ConfigureAwait(false)).Slot;
    }

    /// <summary>
    /// A slot for a batch job: taken only if it starts within <see cref="PaceOptions.BulkHorizon"/>,
    /// so bulk work never books the quota far ahead and a single job asking later is served within
    /// that horizon. Otherwise nothing is reserved and <see cref="PaceClaim.Slot"/> says when the
    /// next free slot would have been, for the job to come back then.
    /// </summary>
    public async Task<PaceClaim> TakeBulkAsync(string model, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        return options.Enabled
            ? await ClaimAsync(model, bulk: true, cancellationToken).ConfigureAwait(false)
            : new PaceClaim(time.GetUtcNow(), Reserved: true);
    }

    private async Task<PaceClaim> ClaimAsync(string model, bool bulk, CancellationToken cancellationToken)
    {
        var waiter = new Waiter(bulk);
        ModelQueue queue;
        bool lead;
        lock (_gate)
        {
            if (!_queues.TryGetValue(model, out queue!))
            {
                queue = new ModelQueue();
                _queues[model] = queue;
            }

            queue.Waiting.Add(waiter);
            lead = !queue.Flushing;
            queue.Flushing = true;
        }

        if (lead)
        {
            // Not on the caller's token: other callers' records (other invocations, locally) wait on this write too.
            _ = FlushAsync(model, queue);
        }

        return await waiter.Claim.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Bedrock throttled a call to <paramref name="model"/>: lower its rate (once per window) and pause the bucket for one interval.</summary>
    public async Task ThrottledAsync(string model, CancellationToken cancellationToken)
    {
        if (!options.Enabled)
        {
            return;
        }

        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var state = await store.GetAsync(model, cancellationToken).ConfigureAwait(false);
        for (var race = 0; race < MaxRaces; race++)
        {
            var current = state ?? Fresh(model, now);
            if (now - current.ThrottledAt < options.DecreaseWindow.TotalMilliseconds)
            {
                return;
            }

            var rate = Math.Max(options.FloorQuota, current.Rate * options.DecreaseFactor);
            var next = current with { Rate = rate, ThrottledAt = now, Tat = Math.Max(current.Tat, now) + (long)Interval(rate) };
            var write = await store.TryReplaceAsync(model, state, next, cancellationToken).ConfigureAwait(false);
            if (write.Written)
            {
                LogDecreased(logger, model, current.Rate, rate);
                Remember(model, next);
                return;
            }

            state = write.Current;
        }
    }

    private async Task FlushAsync(string model, ModelQueue queue)
    {
        while (true)
        {
            // Let the batch's other records that are about to ask join this write.
            await Task.Delay(options.CoalesceWindow, time).ConfigureAwait(false);
            List<Waiter> waiting;
            lock (_gate)
            {
                waiting = [.. queue.Waiting];
                queue.Waiting.Clear();
                if (waiting.Count == 0)
                {
                    queue.Flushing = false;
                    return;
                }
            }

            try
            {
                // Single jobs first: a batch job takes what they leave, and only near at hand.
                waiting = [.. waiting.Where(w => !w.Bulk), .. waiting.Where(w => w.Bulk)];
                var claims = await ReserveAsync(model, queue, [.. waiting.Select(w => w.Bulk)], CancellationToken.None).ConfigureAwait(false);
                for (var i = 0; i < waiting.Count; i++)
                {
                    waiting[i].Claim.TrySetResult(claims[i]);
                }
            }
#pragma warning disable CA1031 // Whatever failed the write is every waiter's failure, handed to each.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                waiting.ForEach(w => w.Claim.TrySetException(ex));
            }
        }
    }

    /// <summary>Reserves consecutive slots for the callers in order (a bulk one only within the horizon) in one conditional write.</summary>
    private async Task<PaceClaim[]> ReserveAsync(string model, ModelQueue queue, bool[] bulk, CancellationToken cancellationToken)
    {
        var state = queue.Known ?? await store.GetAsync(model, cancellationToken).ConfigureAwait(false);
        for (var race = 0; race < MaxRaces; race++)
        {
            var now = time.GetUtcNow().ToUnixTimeMilliseconds();
            var current = state ?? Fresh(model, now);
            var (next, slots, reserved) = Reserve(model, current, bulk, now);
            if (!reserved.Any(r => r))
            {
                // Nothing to write: every caller was a batch job told to come back later.
                return [.. slots.Select(s => new PaceClaim(DateTimeOffset.FromUnixTimeMilliseconds(s), Reserved: false))];
            }

            var write = await store.TryReplaceAsync(model, state, next, cancellationToken).ConfigureAwait(false);
            if (write.Written)
            {
                queue.Known = next;
                return [.. slots.Select((s, i) => new PaceClaim(DateTimeOffset.FromUnixTimeMilliseconds(s), reserved[i]))];
            }

            // Another consumer took slots first: recompute from its state, which the refusal carries.
            state = write.Current;
        }

        throw new InvalidOperationException($"The pace of {model} kept changing under {MaxRaces} tries.");
    }

    /// <summary>GCRA with reservations: each call starts at the later of now and its turn; the bucket's arrival time moves one interval per call.</summary>
    private (PaceState Next, long[] Slots, bool[] Reserved) Reserve(string model, PaceState state, bool[] bulk, long now)
    {
        var interval = Interval(state.Rate);
        var burst = Math.Max(1, state.Rate * options.BurstSeconds / 60);
        var tolerance = (long)((burst - 1) * interval);
        var horizon = now + (long)options.BulkHorizon.TotalMilliseconds;
        var tat = state.Tat;
        var count = bulk.Length;
        var slots = new long[count];
        var reserved = new bool[count];
        for (var i = 0; i < count; i++)
        {
            slots[i] = Math.Max(now, tat - tolerance);
            reserved[i] = !bulk[i] || slots[i] <= horizon;
            if (reserved[i])
            {
                tat = Math.Max(tat, slots[i]) + (long)interval;
            }
        }

        if (!reserved.Any(r => r))
        {
            return (state, slots, reserved);
        }

        // Raise the rate only while the bucket is what holds calls back and Bedrock has not throttled lately.
        var rate = state.Rate;
        var increasedAt = state.IncreasedAt;
        var saturated = slots.Where((_, i) => reserved[i]).Max() > now;
        var quiet = now - state.ThrottledAt > options.IncreaseAfter.TotalMilliseconds && now - increasedAt > 60_000;
        if (saturated && quiet)
        {
            rate = Math.Min(options.CeilingFor(model), rate + 1);
            increasedAt = now;
        }

        return (state with { Tat = tat, Rate = rate, IncreasedAt = increasedAt }, slots, reserved);
    }

    private PaceState Fresh(string model, long now) => new(now, options.QuotaFor(model), 0, now);

    private void Remember(string model, PaceState state)
    {
        lock (_gate)
        {
            if (_queues.TryGetValue(model, out var queue))
            {
                queue.Known = state;
            }
        }
    }

    private static double Interval(double rate) => 60_000 / rate;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bedrock throttled {Model}: its pace drops from {From:0.#} to {To:0.#} requests a minute")]
    private static partial void LogDecreased(ILogger logger, string model, double from, double to);

    /// <summary>The records of this consumer waiting for slots of one model, and the last state it wrote.</summary>
    private sealed class ModelQueue
    {
        public List<Waiter> Waiting { get; } = [];
        public bool Flushing { get; set; }
        public PaceState? Known { get; set; }
    }

    /// <summary>One caller waiting for its claim, and whether it is a batch job.</summary>
    private sealed class Waiter(bool bulk)
    {
        public bool Bulk { get; } = bulk;

        public TaskCompletionSource<PaceClaim> Claim { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
