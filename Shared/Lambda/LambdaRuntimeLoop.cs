using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;

namespace Jobs.Shared.Lambda;

/// <summary>
/// The custom-runtime loop (<c>provided.al2023</c>): take the next event, run the handler with a
/// token that fires shortly before the invocation's deadline, post the answer or the error, repeat.
/// A handler exception fails that invocation only; the process carries on.
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

    public async Task InvokeOnceAsync(LambdaInvocation invocation, CancellationToken stopping)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        var context = invocation.Context;
        var budget = context.Deadline == DateTimeOffset.MaxValue
            ? Timeout.InfiniteTimeSpan
            : context.Deadline - time.GetUtcNow() - DeadlineMargin;
        using var deadline = new CancellationTokenSource(budget < TimeSpan.Zero ? TimeSpan.Zero : budget, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, stopping);
        byte[] answer;
        try
        {
            var @event = JsonSerializer.Deserialize(invocation.Payload, eventType)
                ?? throw new JsonException("The event payload was null.");
            var result = await handler(@event, context, linked.Token).ConfigureAwait(false);
            answer = JsonSerializer.SerializeToUtf8Bytes(result, resultType);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stopping.IsCancellationRequested)
        {
            LogInvocationFailed(logger, context.RequestId, ex.GetType().Name, ex);
            await api.ReportErrorAsync(context.RequestId, LambdaError.From(ex), stopping).ConfigureAwait(false);
            return;
        }

        await api.RespondAsync(context.RequestId, answer, stopping).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Invocation {RequestId} failed with {ErrorType}")]
    private static partial void LogInvocationFailed(ILogger logger, string requestId, string errorType, Exception exception);
}
