using System.Text.Json;
using Jobs.Shared.Batches;
using Jobs.Shared.Queue;

namespace Jobs.Tests.Support;

/// <summary>
/// The real queue for job messages, but a batch's step messages are kept for the test to deliver
/// (so no other consumer runs the steps), and the chosen send of job messages crashes the invocation
/// the first time: the step's jobs are written, their messages unsent, the step unrecorded.
/// </summary>
public sealed class SteppedBatchQueue(IJobQueue inner, CrashPoint crash, int crashOnSend) : IJobQueue
{
    private int _sends;

    public Queue<string> Steps { get; } = new();

    public Task EnqueueAsync(JobMessage message, TimeSpan delay, CancellationToken cancellationToken) => inner.EnqueueAsync(message, delay, cancellationToken);

    public async Task EnqueueManyAsync(IReadOnlyList<JobMessage> messages, CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _sends) == crashOnSend)
        {
            crash.After();
        }

        await inner.EnqueueManyAsync(messages, cancellationToken).ConfigureAwait(false);
    }

    public Task EnqueueBatchStepAsync(BatchMessage message, CancellationToken cancellationToken)
    {
        lock (Steps)
        {
            Steps.Enqueue(JsonSerializer.Serialize(message, BatchJsonContext.Default.BatchMessage));
        }

        return Task.CompletedTask;
    }
}
