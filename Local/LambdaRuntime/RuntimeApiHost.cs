using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Hosting;
using Jobs.Local.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Jobs.Local.LambdaRuntime;

/// <summary>
/// The Lambda Runtime API on 127.0.0.1, as AWS documents it for custom runtimes: a function's
/// <c>bootstrap</c> long-polls <c>/2018-06-01/runtime/invocation/next</c> (receiving the event with
/// the <c>Lambda-Runtime-*</c> headers), then posts to <c>…/invocation/{id}/response</c> or
/// <c>…/invocation/{id}/error</c>; a failed start posts to <c>/runtime/init/error</c>. This lets
/// the packaged executable be run and invoked exactly as Lambda runs it.
/// </summary>
public sealed class RuntimeApiHost : IAsyncDisposable
{
    private const string Prefix = "/2018-06-01/runtime";

    private readonly WebApplication _app;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>();
    private readonly ConcurrentDictionary<string, Pending> _inFlight = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource<LambdaInvocationResult> _initError = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private RuntimeApiHost(WebApplication app, int port, string functionArn)
    {
        _app = app;
        Port = port;
        FunctionArn = functionArn;
    }

    public int Port { get; }

    /// <summary>The value of <c>AWS_LAMBDA_RUNTIME_API</c> for the function process.</summary>
    public string Address => $"127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

    public string FunctionArn { get; }

    /// <summary>Completes when the function reports a failed start on <c>/runtime/init/error</c>.</summary>
    public Task<LambdaInvocationResult> InitError => _initError.Task;

    public static async Task<RuntimeApiHost> StartAsync(int port, string functionName)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddSingleton<IHostLifetime, EmbeddedHostLifetime>();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        var host = new RuntimeApiHost(app, port, $"arn:aws:lambda:us-east-1:000000000000:function:{functionName}");
        app.MapGet(Prefix + "/invocation/next", host.NextAsync);
        app.MapPost(Prefix + "/invocation/{requestId}/response", (HttpContext context, string requestId) => host.CompleteAsync(context, requestId, isError: false));
        app.MapPost(Prefix + "/invocation/{requestId}/error", (HttpContext context, string requestId) => host.CompleteAsync(context, requestId, isError: true));
        app.MapPost(Prefix + "/init/error", (Delegate)host.InitErrorAsync);
        await app.StartAsync().ConfigureAwait(false);
        return host;
    }

    /// <summary>Queues an event for the function and waits for its response or error.</summary>
    public async Task<LambdaInvocationResult> InvokeAsync(byte[] payload, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var pending = new Pending(Guid.NewGuid().ToString(), payload, DateTimeOffset.UtcNow + timeout);
        await _queue.Writer.WriteAsync(pending, cancellationToken).ConfigureAwait(false);
        return await pending.Result.Task.WaitAsync(timeout + TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Ends every invocation the function holds with an error, as Lambda reports an invocation whose
    /// runtime died (<c>Runtime.ExitError</c>); events not yet handed out stay queued for the next process.
    /// </summary>
    public void FailInFlight(string errorMessage)
    {
        foreach (var (requestId, pending) in _inFlight)
        {
            if (_inFlight.TryRemove(requestId, out _))
            {
                pending.Result.TrySetResult(new LambdaInvocationResult(requestId, System.Text.Encoding.UTF8.GetBytes($"{{\"errorMessage\":\"{errorMessage}\",\"errorType\":\"Runtime.ExitError\"}}"), IsError: true, "Runtime.ExitError"));
            }
        }
    }

    /// <summary>Invocations handed to the function and not yet answered.</summary>
    public int InFlight => _inFlight.Count;

    private async Task NextAsync(HttpContext context)
    {
        Pending pending;
        try
        {
            pending = await _queue.Reader.ReadAsync(context.RequestAborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        _inFlight[pending.RequestId] = pending;
        var headers = context.Response.Headers;
        headers["Lambda-Runtime-Aws-Request-Id"] = pending.RequestId;
        headers["Lambda-Runtime-Deadline-Ms"] = pending.Deadline.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        headers["Lambda-Runtime-Invoked-Function-Arn"] = FunctionArn;
        headers["Lambda-Runtime-Trace-Id"] = $"Root=1-{DateTimeOffset.UtcNow.ToUnixTimeSeconds():x8}-{pending.RequestId.Replace("-", "", StringComparison.Ordinal)[..24]};Sampled=0";
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(pending.Payload, context.RequestAborted).ConfigureAwait(false);
    }

    private async Task<IResult> CompleteAsync(HttpContext context, string requestId, bool isError)
    {
        if (!_inFlight.TryRemove(requestId, out var pending))
        {
            return Results.Json(new Dictionary<string, string> { ["errorMessage"] = $"Unknown request id {requestId}.", ["errorType"] = "InvalidRequestID" }, statusCode: 400);
        }

        var body = await ReadAsync(context).ConfigureAwait(false);
        var errorType = isError ? context.Request.Headers["Lambda-Runtime-Function-Error-Type"].ToString() : null;
        pending.Result.TrySetResult(new LambdaInvocationResult(requestId, body, isError, errorType));
        return Results.Accepted();
    }

    private async Task<IResult> InitErrorAsync(HttpContext context)
    {
        var body = await ReadAsync(context).ConfigureAwait(false);
        _initError.TrySetResult(new LambdaInvocationResult("init", body, IsError: true, context.Request.Headers["Lambda-Runtime-Function-Error-Type"].ToString()));
        return Results.Accepted();
    }

    private static async Task<byte[]> ReadAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
        return buffer.ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private sealed record Pending(string RequestId, byte[] Payload, DateTimeOffset Deadline)
    {
        public TaskCompletionSource<LambdaInvocationResult> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
