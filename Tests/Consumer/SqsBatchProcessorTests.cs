using Jobs.Consumer;
using Jobs.Consumer.Batch;
using Jobs.Shared.Lambda;
using Microsoft.Extensions.Logging.Abstractions;

namespace Jobs.Tests.Consumer;

public sealed class SqsBatchProcessorTests
{
    private static readonly LambdaContext Context = new("req-1", DateTimeOffset.MaxValue, null, null);

    private static SqsEvent Batch(params string[] ids) =>
        new() { Records = ids.Select(id => new SqsEventMessage { MessageId = id, Body = id }).ToList() };

    [Test]
    public async Task Only_the_messages_that_did_not_finish_are_reported()
    {
        var processor = new SqsBatchProcessor(new ConsumerOptions(), NullLogger<SqsBatchProcessor>.Instance);

        var response = await processor.ProcessAsync(Batch("ok-1", "retry-2", "throw-3", "ok-4"), Context, (message, _, _) => message.Body switch
        {
            var b when b.StartsWith("ok", StringComparison.Ordinal) => Task.FromResult(MessageOutcome.Acknowledge("done")),
            var b when b.StartsWith("retry", StringComparison.Ordinal) => Task.FromResult(MessageOutcome.Retry("later")),
            _ => throw new InvalidOperationException("boom"),
        }, CancellationToken.None);

        Assert.That(response.BatchItemFailures.Select(f => f.ItemIdentifier), Is.EquivalentTo(new[] { "retry-2", "throw-3" }));
    }

    [Test]
    public async Task An_empty_list_acknowledges_the_whole_batch()
    {
        var processor = new SqsBatchProcessor(new ConsumerOptions(), NullLogger<SqsBatchProcessor>.Instance);

        var response = await processor.ProcessAsync(Batch("a", "b"), Context, (_, _, _) => Task.FromResult(MessageOutcome.Acknowledge("done")), CancellationToken.None);

        Assert.That(response.BatchItemFailures, Is.Empty);
    }

    [Test]
    public async Task Messages_run_concurrently_up_to_the_configured_bound()
    {
        var processor = new SqsBatchProcessor(new ConsumerOptions { MaxConcurrency = 3 }, NullLogger<SqsBatchProcessor>.Instance);
        var inFlight = 0;
        var most = 0;
        var threeStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var run = processor.ProcessAsync(Batch("1", "2", "3", "4", "5", "6", "7", "8", "9", "10"), Context, async (_, _, _) =>
        {
            var now = Interlocked.Increment(ref inFlight);
            InterlockedMax(ref most, now);
            if (now == 3)
            {
                threeStarted.TrySetResult();
            }

            await release.Task;
            Interlocked.Decrement(ref inFlight);
            return MessageOutcome.Acknowledge("done");
        }, CancellationToken.None);

        await threeStarted.Task.WaitAsync(TimeSpan.FromSeconds(10));
        release.SetResult();
        var response = await run;

        Assert.That(most, Is.EqualTo(3));
        Assert.That(response.BatchItemFailures, Is.Empty);
    }

    [Test]
    public async Task A_cut_short_invocation_hands_back_exactly_the_records_that_did_not_finish()
    {
        var processor = new SqsBatchProcessor(new ConsumerOptions { MaxConcurrency = 1 }, NullLogger<SqsBatchProcessor>.Instance);
        using var deadline = new CancellationTokenSource();
        var started = new List<string>();

        // One at a time: "a" finishes, the deadline fires inside "b", "c" is never started.
        var response = await processor.ProcessAsync(Batch("a", "b", "c"), Context, async (message, _, token) =>
        {
            started.Add(message.MessageId);
            if (message.MessageId == "b")
            {
                await deadline.CancelAsync();
                token.ThrowIfCancellationRequested();
            }

            return MessageOutcome.Acknowledge("done");
        }, deadline.Token);

        Assert.That(started, Is.EqualTo(new[] { "a", "b" }));
        Assert.That(response.BatchItemFailures.Select(f => f.ItemIdentifier), Is.EqualTo(new[] { "b", "c" }));
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
