using Jobs.Shared.Lambda;

namespace Jobs.Local.LambdaRuntime;

/// <summary>
/// A function's execution environments: each invocation takes a free one, as Lambda routes each
/// invocation to an idle environment of the function (its concurrency is the pool's size).
/// </summary>
public sealed class SandboxPool : IAsyncDisposable
{
    private readonly List<LambdaSandbox> _all;
    private readonly Queue<LambdaSandbox> _free;
    private readonly SemaphoreSlim _available;
    private readonly Lock _gate = new();

    private SandboxPool(List<LambdaSandbox> sandboxes)
    {
        _all = sandboxes;
        _free = new Queue<LambdaSandbox>(sandboxes);
        _available = new SemaphoreSlim(sandboxes.Count, sandboxes.Count);
    }

    public IReadOnlyList<LambdaSandbox> Sandboxes => _all;

    public static async Task<SandboxPool> StartAsync(int size, string bootstrap, IReadOnlyDictionary<string, string> environment, string functionName)
    {
        var sandboxes = new List<LambdaSandbox>();
        for (var i = 0; i < size; i++)
        {
            sandboxes.Add(await LambdaSandbox.StartAsync(bootstrap, environment, functionName).ConfigureAwait(false));
        }

        return new SandboxPool(sandboxes);
    }

    public Task<SqsBatchResponse> InvokeConsumerAsync(SqsEvent batch, LambdaContext context, CancellationToken cancellationToken) =>
        WithSandboxAsync(s => s.InvokeConsumerAsync(batch, context, cancellationToken), cancellationToken);

    public Task ReconcileAsync(LambdaContext context, CancellationToken cancellationToken) =>
        WithSandboxAsync(async s => { await s.ReconcileAsync(context, cancellationToken).ConfigureAwait(false); return 0; }, cancellationToken);

    private async Task<T> WithSandboxAsync<T>(Func<LambdaSandbox, Task<T>> invoke, CancellationToken cancellationToken)
    {
        await _available.WaitAsync(cancellationToken).ConfigureAwait(false);
        LambdaSandbox sandbox;
        lock (_gate)
        {
            sandbox = _free.Dequeue();
        }

        try
        {
            return await invoke(sandbox).ConfigureAwait(false);
        }
        finally
        {
            lock (_gate)
            {
                _free.Enqueue(sandbox);
            }

            _available.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var sandbox in _all)
        {
            await sandbox.DisposeAsync().ConfigureAwait(false);
        }

        _available.Dispose();
    }
}
