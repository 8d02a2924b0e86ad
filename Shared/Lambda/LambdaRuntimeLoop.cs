using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Jobs.Shared.Logging;
using Microsoft.Extensions.Logging;

namespace Jobs.Shared.Lambda;

/// <summary>
/// The custom-runtime loop (<c>provided.al2023</c>): take the next event, run the handler with a
/// token that fires shortly before the invocation's deadline (or at SIGTERM), post the answer or the
/// error, repeat. A handler exception fails that invocation only; the process carries on. Each
/// invocation's logs carry its request id, and <c>_X_AMZN_TRACE_ID</c> holds its trace id.
/// </summary>
public sealed partial class LambdaRuntimeLoop<TEvent, TResult>(
    ILambdaRuntimeApi api,
    Func<TEvent, LambdaContext, CancellationToken, Task<TResult>> handler,
    JsonTypeInfo<TEvent> eventType,
    JsonTypeInfo<TResult> resultType,
    TimeProvider time,
    ILogger logger)
{
    /// <summary>Time kept back before the deadline to post the answer. Default 500 ms.</summary>
    public TimeSpan DeadlineMargin { get; init; } = TimeSpan.FromMilliseconds(500);

    public async Task RunAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            LambdaInvocation invocation;
            try
            {
                invocation = await api.NextAsync(stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }

            await InvokeOnceAsync(invocation, stopping).ConfigureAwait(false);
        }
    }

    /// <summary>How long posting the answer may take once the invocation's own token has fired. Default 5 s.</summary>
    public TimeSpan PostTimeout { get; init; } = TimeSpan.FromSeconds(5);

    public async Task InvokeOnceAsync(LambdaInvocation invocation, CancellationToken stopping)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        var context = invocation.Context;
        // What Lambda's own runtimes do, so the X-Ray SDK and anything else reading it finds this invocation's trace.
        Environment.SetEnvironmentVariable("_X_AMZN_TRACE_ID", context.TraceId);
        using var scope = logger.BeginScope(LogScope.Of("requestId", context.RequestId));
        var budget = context.Deadline == DateTimeOffset.MaxValue
            ? Timeout.InfiniteTimeSpan
            : context.Deadline - time.GetUtcNow() - DeadlineMargin;
        using var deadline = new CancellationTokenSource(budget < TimeSpan.Zero ? TimeSpan.Zero : budget, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, stopping);
        byte[]? answer = null;
        LambdaError? error = null;
        try
        {
            var @event = JsonSerializer.Deserialize(invocation.Payload, eventType)
                ?? throw new JsonException("The event payload was null.");
            var result = await handler(@event, context, linked.Token).ConfigureAwait(false);
            answer = JsonSerializer.SerializeToUtf8Bytes(result, resultType);
        }
        catch (Exception ex)
        {
            LogInvocationFailed(logger, context.RequestId, ex.GetType().Name, ex);
            error = LambdaError.From(ex);
        }

        // A token of its own: the invocation's may have fired (its deadline, a SIGTERM), and the
        // answer, which says which records finished, must still reach the Runtime API.
        using var post = new CancellationTokenSource(PostTimeout, time);
        if (error is null)
        {
            await api.RespondAsync(context.RequestId, answer!, post.Token).ConfigureAwait(false);
        }
        else
        {
            await api.ReportErrorAsync(context.RequestId, error, post.Token).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Invocation {RequestId} failed with {ErrorType}")]
    private static partial void LogInvocationFailed(ILogger logger, string requestId, string errorType, Exception exception);
}
