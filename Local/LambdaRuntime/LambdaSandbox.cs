using System.Text;
using System.Text.Json;
using Jobs.Consumer;
using Jobs.Shared.Json;
using Jobs.Shared.Lambda;

namespace Jobs.Local.LambdaRuntime;

/// <summary>
/// One Lambda execution environment on this machine: a Runtime API of its own and the function's
/// packaged <c>bootstrap</c> polling it, one invocation at a time. <see cref="KillAsync"/> ends the
/// process with SIGKILL mid-invocation, fails that invocation as Lambda reports a dead runtime, and
/// starts a fresh process (a cold start), as Lambda replaces a crashed environment.
/// </summary>
public sealed class LambdaSandbox : IAsyncDisposable
{
    private readonly string _bootstrap;
    private readonly IReadOnlyDictionary<string, string> _environment;
    private readonly string _functionName;
    private readonly SemaphoreSlim _one = new(1, 1);
    private readonly Lock _gate = new();
    private readonly System.Text.StringBuilder _earlierOutput = new();
    private BootstrapProcess _process;

    private LambdaSandbox(RuntimeApiHost runtime, string bootstrap, IReadOnlyDictionary<string, string> environment, string functionName)
    {
        Runtime = runtime;
        _bootstrap = bootstrap;
        _environment = environment;
        _functionName = functionName;
        _process = BootstrapProcess.Start(bootstrap, runtime, environment, functionName);
    }

    public RuntimeApiHost Runtime { get; }

    /// <summary>Processes started, the first one included.</summary>
    public int Starts { get; private set; } = 1;

    /// <summary>Whether an invocation is running in it now.</summary>
    public bool IsBusy => Runtime.InFlight > 0;

    /// <summary>What every process of this sandbox has written (its logs), the current one last.</summary>
    public string Output
    {
        get
        {
            lock (_gate)
            {
                return _earlierOutput + _process.Output;
            }
        }
    }

    public static async Task<LambdaSandbox> StartAsync(string bootstrap, IReadOnlyDictionary<string, string> environment, string functionName) =>
        new(await RuntimeApiHost.StartAsync(Emulators.FreePort.Next(), functionName).ConfigureAwait(false), bootstrap, environment, functionName);

    /// <summary>Invokes the function with an event and waits for its answer; a failed invocation throws.</summary>
    public async Task<byte[]> InvokeAsync(byte[] payload, TimeSpan timeout, CancellationToken cancellationToken)
    {
        await _one.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var result = await Runtime.InvokeAsync(payload, timeout, cancellationToken).ConfigureAwait(false);
            return result.IsError
                ? throw new InvalidOperationException($"The invocation failed ({result.ErrorType}): {Encoding.UTF8.GetString(result.Body)}")
                : result.Body;
        }
        finally
        {
            _one.Release();
        }
    }

    /// <summary>The consumer's SQS handler, reached through this sandbox: the batch as AWS sends it, the answer parsed back.</summary>
    public async Task<SqsBatchResponse> InvokeConsumerAsync(SqsEvent batch, LambdaContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var payload = JsonSerializer.SerializeToUtf8Bytes(batch, JobsJsonContext.Default.SqsEvent);
        var answer = await InvokeAsync(payload, context.Deadline - DateTimeOffset.UtcNow, cancellationToken).ConfigureAwait(false);
        return JsonSerializer.Deserialize(answer, JobsJsonContext.Default.SqsBatchResponse) ?? new SqsBatchResponse();
    }

    /// <summary>The reconciler's schedule, reached through this sandbox.</summary>
    public Task ReconcileAsync(LambdaContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var payload = JsonSerializer.SerializeToUtf8Bytes(new ConsumerEvent { Reconcile = new() { ScheduledTime = DateTimeOffset.UtcNow.ToString("O") } }, ConsumerJsonContext.Default.ConsumerEvent);
        return InvokeAsync(payload, context.Deadline - DateTimeOffset.UtcNow, cancellationToken);
    }

    /// <summary>SIGKILL now, whatever the process is doing; its invocation fails; a fresh process takes its place.</summary>
    public async Task KillAsync()
    {
        BootstrapProcess dead;
        lock (_gate)
        {
            dead = _process;
            dead.Kill();
            _earlierOutput.Append(dead.Output).AppendLine("--- killed (SIGKILL) at " + DateTimeOffset.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
            Runtime.FailInFlight("RequestId: the runtime exited (SIGKILL) during the invocation");
            _process = BootstrapProcess.Start(_bootstrap, Runtime, _environment, _functionName);
            Starts++;
        }

        await dead.DisposeAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync().ConfigureAwait(false);
        await Runtime.DisposeAsync().ConfigureAwait(false);
        _one.Dispose();
    }
}
