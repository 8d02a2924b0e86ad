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

        return (await ClaimAsync(model, Ask.Single, cancellationToken).ConfigureAwait(false)).Slot;
    }

    /// <summary>
    /// A slot for a batch job: one near at hand (within <see cref="PaceOptions.BulkHorizon"/>) that
    /// single jobs leave, or one of the batch share they keep free; otherwise nothing is reserved and
    /// <see cref="PaceClaim.Slot"/> is the job's place in the batch line: when the jobs turned away
    /// before it will have been served, for it to come back then. A job asking for the first time
    /// (<paramref name="returning"/> false) joins the back of that line rather than take the slot of
    /// a job coming back at its turn.
    /// </summary>
    public async Task<PaceClaim> TakeBulkAsync(string model, bool returning, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        return options.Enabled
            ? await ClaimAsync(model, returning ? Ask.ReturningBulk : Ask.Bulk, cancellationToken).ConfigureAwait(false)
            : new PaceClaim(time.GetUtcNow(), Reserved: true);
    }

    private async Task<PaceClaim> ClaimAsync(string model, Ask ask, CancellationToken cancellationToken)
    {
        var waiter = new Waiter(ask);
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
                Remember(model, write.Current!);
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
                // Single jobs first, then batch jobs back at their turn, then newcomers.
                waiting = [.. waiting.OrderBy(w => w.Ask)];
                var claims = await ReserveAsync(model, queue, [.. waiting.Select(w => w.Ask)], CancellationToken.None).ConfigureAwait(false);
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

    /// <summary>Reserves consecutive slots for the callers in order (a batch job only near at hand, or a place in line) in one conditional write.</summary>
    private async Task<PaceClaim[]> ReserveAsync(string model, ModelQueue queue, Ask[] asks, CancellationToken cancellationToken)
    {
        var state = queue.Known ?? await store.GetAsync(model, cancellationToken).ConfigureAwait(false);
        for (var race = 0; race < MaxRaces; race++)
        {
            var now = time.GetUtcNow().ToUnixTimeMilliseconds();
            var current = state ?? Fresh(model, now);
            var (next, claims) = Reserve(model, current, asks, now);
            if (state is not null && next == current)
            {
                return claims;
            }

            var write = await store.TryReplaceAsync(model, state, next, cancellationToken).ConfigureAwait(false);
            if (write.Written)
            {
                queue.Known = write.Current;
                return claims;
            }

            // Another consumer took slots first: recompute from its state, which the refusal carries.
            state = write.Current;
        }

        throw new InvalidOperationException($"The pace of {model} kept changing under {MaxRaces} tries.");
    }

    /// <summary>
    /// GCRA with reservations: each call starts at the later of now and its turn; the bucket's arrival
    /// time moves one interval per call. While batch jobs wait, single jobs space themselves out by
    /// 1 ÷ (1 − share) intervals, which leaves the batch share its own slots (<see cref="PaceState.BulkTat"/>,
    /// one every 1 ÷ share intervals), so the two together never exceed the rate.
    /// </summary>
    private (PaceState Next, PaceClaim[] Claims) Reserve(string model, PaceState state, Ask[] asks, long now)
    {
        var interval = Interval(state.Rate);
        var burst = Math.Max(1, state.Rate * options.BurstSeconds / 60);
        var tolerance = (long)((burst - 1) * interval);
        var horizon = now + (long)options.BulkHorizon.TotalMilliseconds;
        var share = options.BulkShare;
        var shareStep = share > 0 ? (long)(interval / share) : 0;
        var bulkWaiting = state.BulkLine + (long)options.BulkIdleAfter.TotalMilliseconds > now;
        var bulkAsking = asks.Any(a => a != Ask.Single);
        var (tat, bulkTat, line, singlesUntil) = (state.Tat, state.BulkTat, state.BulkLine, state.SinglesUntil);
        if (bulkAsking && !bulkWaiting)
        {
            // Single jobs booked so far were spaced for the full rate: the share starts after them.
            bulkTat = Math.Max(bulkTat, tat);
        }

        var singleStep = (long)((bulkWaiting || bulkAsking) && share > 0 ? interval / (1 - share) : interval);
        var claims = new PaceClaim[asks.Length];
        for (var i = 0; i < asks.Length; i++)
        {
            var next = Math.Max(now, tat - tolerance);
            if (asks[i] == Ask.Single)
            {
                tat = Math.Max(tat, next) + singleStep;
                singlesUntil = Math.Max(singlesUntil, next);
                claims[i] = new PaceClaim(At(next), Reserved: true);
                continue;
            }

            line = Math.Max(line, now);
            var inTurn = asks[i] == Ask.ReturningBulk || line <= now;
            var shareSlot = Math.Max(now, bulkTat);
            if (inTurn && next <= horizon)
            {
                // A slot single jobs leave: it counts as the share's too, which is not owed again sooner.
                tat = Math.Max(tat, next) + (long)interval;
                bulkTat = share > 0 ? Math.Max(bulkTat, next + shareStep) : bulkTat;
                claims[i] = new PaceClaim(At(next), Reserved: true);
            }
            else if (inTurn && share > 0 && shareSlot <= horizon)
            {
                bulkTat = shareSlot + shareStep;
                claims[i] = new PaceClaim(At(shareSlot), Reserved: true);
            }
            else
            {
                // A place in line: after the jobs already in it, each served one batch slot apart.
                // With single jobs booked ahead, that is the share's pace; otherwise the full rate.
                var singlesAhead = singlesUntil > horizon;
                var (from, step) = singlesAhead && share > 0 ? (shareSlot, shareStep) : (next, (long)interval);
                var turn = Math.Max(line, Math.Max(now, from));
                line = turn + step;
                claims[i] = new PaceClaim(At(turn), Reserved: false);
            }
        }

        // Raise the rate only while the bucket is what holds calls back and Bedrock has not throttled lately.
        var rate = state.Rate;
        var increasedAt = state.IncreasedAt;
        var saturated = claims.Any(c => c.Reserved && c.Slot.ToUnixTimeMilliseconds() > now);
        var quiet = now - state.ThrottledAt > options.IncreaseAfter.TotalMilliseconds && now - increasedAt > 60_000;
        if (saturated && quiet)
        {
            rate = Math.Min(options.CeilingFor(model), rate + 1);
            increasedAt = now;
        }

        return (state with { Tat = tat, Rate = rate, IncreasedAt = increasedAt, BulkTat = bulkTat, BulkLine = line, SinglesUntil = singlesUntil }, claims);
    }

    private static DateTimeOffset At(long milliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);

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

    /// <summary>Who asks, in the order they are served within one write.</summary>
    private enum Ask
    {
        Single,
        ReturningBulk,
        Bulk,
    }

    /// <summary>The records of this consumer waiting for slots of one model, and the last state it wrote.</summary>
    private sealed class ModelQueue
    {
        public List<Waiter> Waiting { get; } = [];
        public bool Flushing { get; set; }
        public PaceState? Known { get; set; }
    }

    /// <summary>One caller waiting for its claim, and what kind of job it is.</summary>
    private sealed class Waiter(Ask ask)
    {
        public Ask Ask { get; } = ask;

        public TaskCompletionSource<PaceClaim> Claim { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
