using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;

namespace Jobs.Tests.Support;

/// <summary>
/// A fake clock that knows which of its timers are still waiting, so a test can move time
/// straight to the next one instead of nudging it forward and hoping the code under test has
/// caught up. Time moves only while the code under test is blocked on a timer.
/// </summary>
public sealed class SteppingClock : FakeTimeProvider
{
    private readonly Lock _gate = new();
    private readonly List<PendingTimer> _pending = [];
    private long _changes;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new PendingTimer(this);
        timer.Inner = base.CreateTimer(
            s =>
            {
                timer.Settle();
                callback(s);
            },
            state,
            dueTime,
            period);
        timer.Arm(dueTime);
        return timer;
    }

    /// <summary>
    /// Waits for <paramref name="task"/>, moving time to each pending timer's due time as the task
    /// blocks on it. Fails after <paramref name="realLimit"/> of real time with nothing to advance.
    /// </summary>
    public async Task<T> RunAsync<T>(Task<T> task, TimeSpan? realLimit = null)
    {
        var limit = realLimit ?? TimeSpan.FromSeconds(30);
        var idle = Stopwatch.StartNew();
        var seen = -1L;
        while (!task.IsCompleted)
        {
            DateTimeOffset? next;
            long changes;
            lock (_gate)
            {
                next = _pending.Count == 0 ? null : _pending.Min(t => t.DueAt);
                changes = _changes;
            }

            // Advance only once the set of timers has stayed the same across a pause: the code
            // under test is then blocked on them rather than half-way through arming the next.
            var settled = changes == seen;
            seen = changes;
            if (settled && next is { } due)
            {
                var step = due - GetUtcNow();
                Advance(step > TimeSpan.Zero ? step : TimeSpan.Zero);
                idle.Restart();
            }
            else if (idle.Elapsed > limit)
            {
                throw new TimeoutException($"The task neither finished nor waited on the clock within {limit}.");
            }

            // Let the continuations the timer released run before looking again.
            await Task.Delay(1, CancellationToken.None).ConfigureAwait(false);
        }

        return await task.ConfigureAwait(false);
    }

    private sealed class PendingTimer(SteppingClock clock) : ITimer
    {
        public ITimer Inner { get; set; } = null!;

        public DateTimeOffset DueAt { get; private set; }

        public void Arm(TimeSpan dueTime)
        {
            lock (clock._gate)
            {
                clock._changes++;
                clock._pending.Remove(this);
                if (dueTime != Timeout.InfiniteTimeSpan)
                {
                    DueAt = clock.GetUtcNow() + dueTime;
                    clock._pending.Add(this);
                }
            }
        }

        public void Settle()
        {
            lock (clock._gate)
            {
                clock._changes++;
                clock._pending.Remove(this);
            }
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            Arm(dueTime);
            return Inner.Change(dueTime, period);
        }

        public void Dispose()
        {
            Settle();
            Inner.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Settle();
            return Inner.DisposeAsync();
        }
    }
}
