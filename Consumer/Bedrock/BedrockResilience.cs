using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace Jobs.Consumer.Bedrock;

/// <summary>
/// The Polly pipeline every InvokeModel call to one model goes through, outermost first: retry with
/// exponential backoff and jitter (server errors, network faults, attempt timeouts; never
/// throttling, which the pace answers); a circuit breaker that stops calling a model whose server keeps failing; a timeout
/// per attempt. The caller's token is the invocation's, and its <see cref="StartBy"/> bounds when a
/// call may still start, so nothing outlives the Lambda and a call that was made (and paid for) is
/// never abandoned for lack of budget. An open circuit is not retried here: the job goes back to
/// the queue instead.
/// </summary>
public static class BedrockResilience
{
    /// <summary>The last moment a call may start; no retry is made after it (set by the caller on the <see cref="ResilienceContext"/>).</summary>
    public static readonly ResiliencePropertyKey<DateTimeOffset> StartBy = new("jobs.bedrock.start-by");

    /// <summary>The failure that led to the latest retry, so a caller out of time can say what Bedrock last answered.</summary>
    public static readonly ResiliencePropertyKey<Exception?> LastFailure = new("jobs.bedrock.last-failure");

    public static ResiliencePipeline Create(BedrockOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        // Capacity (a throttle, a model warming up) is never waited out here: the job goes back to
        // wait for its slot in the model's pace, and the invocation is not billed for waiting.
        Func<RetryPredicateArguments<object>, ValueTask<bool>> retryable = new PredicateBuilder()
            .Handle<BedrockException>(e => e.IsRetryable && !e.IsCapacity)
            .Handle<HttpRequestException>()
            .Handle<TimeoutRejectedException>();
        return new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                // No retry once the caller's start window has closed: a wait that cannot end in a call is waste.
                ShouldHandle = async args => await retryable(args).ConfigureAwait(false)
                    && time.GetUtcNow() < args.Context.Properties.GetValue(StartBy, DateTimeOffset.MaxValue),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                MaxDelay = options.RetryMaxDelay,
                MaxRetryAttempts = options.MaxRetries,
                OnRetry = args =>
                {
                    args.Context.Properties.Set(LastFailure, args.Outcome.Exception);
                    return default;
                },
            })
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                ShouldHandle = new PredicateBuilder()
                    .Handle<BedrockException>(e => e.IsServerFault)
                    .Handle<HttpRequestException>()
                    .Handle<TimeoutRejectedException>(),
                FailureRatio = options.CircuitFailureRatio,
                MinimumThroughput = options.CircuitMinimumThroughput,
                SamplingDuration = options.CircuitSamplingDuration,
                BreakDuration = options.CircuitBreakDuration,
            })
            .AddTimeout(options.AttemptTimeout)
            .Build();
    }
}
