using Jobs.Shared.Lambda;

namespace Jobs.Local.Hosting;

/// <summary>
/// The reconciler's schedule on one machine: invokes the consumer with the scheduler's input every
/// interval, as EventBridge Scheduler does on AWS (in process, or through the Runtime API). A run that fails is logged by the consumer and
/// the next one tries again, as a scheduled Lambda would.
/// </summary>
public sealed class ReconcileTimer(Func<LambdaContext, CancellationToken, Task> reconcile, TimeSpan interval, TimeSpan functionTimeout, TimeProvider time) : IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private Task? _loop;

    /// <summary>Runs completed so far.</summary>
    public int Runs { get; private set; }

    public void Start() => _loop ??= Task.Run(LoopAsync);

    /// <summary>One run now, as the schedule would make it; returns when it is done.</summary>
    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(functionTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        var context = new LambdaContext(Guid.NewGuid().ToString(), time.GetUtcNow() + functionTimeout, "arn:aws:lambda:local:000000000000:function:consumer", null);
        await reconcile(context, linked.Token).ConfigureAwait(false);
        Runs++;
    }

    private async Task LoopAsync()
    {
        using var timer = new PeriodicTimer(interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token).ConfigureAwait(false))
            {
                try
                {
                    await RunOnceAsync(_stopping.Token).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // The consumer has logged it; the next tick is the retry.
                }
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        _stopping.Dispose();
    }
}
