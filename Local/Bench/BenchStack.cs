using Jobs.Local.Cli;
using Jobs.Local.Hosting;
using Microsoft.Extensions.Logging;

namespace Jobs.Local.Bench;

/// <summary>A fresh local stack for one run of one scenario, quiet on the console, with an API client.</summary>
internal sealed class BenchStack : IAsyncDisposable
{
    private readonly HttpClient _http;

    private BenchStack(LocalStack stack)
    {
        Stack = stack;
        _http = new HttpClient { BaseAddress = stack.Api.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        Api = new JobsApiClient(_http);
    }

    public LocalStack Stack { get; }

    public JobsApiClient Api { get; }

    public static async Task<BenchStack> StartAsync(Action<LocalStackOptions> configure, IProgress<string> progress, CancellationToken cancellationToken)
    {
        // No reconciler runs: the bare baseline's jobs wait in the table without the consumer's
        // bookkeeping, and a reconciler would re-dispatch them under the loop's feet.
        var options = new LocalStackOptions { LogLevel = LogLevel.Error, ReconcileInterval = TimeSpan.FromDays(1) };
        configure(options);
        return new BenchStack(await LocalStack.StartAsync(options, progress, cancellationToken).ConfigureAwait(false));
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await Stack.DisposeAsync().ConfigureAwait(false);
    }
}
