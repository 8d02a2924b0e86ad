using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace Jobs.Consumer.Bedrock;

/// <summary>
/// The Polly pipeline every InvokeModel call to one model goes through, outermost first: retry with
/// exponential backoff and jitter (throttling, transient Bedrock errors, network faults, attempt
/// timeouts); a circuit breaker that stops calling a model whose server keeps failing; a timeout
/// per attempt. The caller's token carries the invocation's budget, so waiting never outlives the
/// Lambda. An open circuit is not retried here: the job goes back to the queue instead.
/// </summary>
public static class BedrockResilience
{
    /// <summary>Set on the <see cref="ResilienceContext"/> when any attempt was refused for capacity.</summary>
    public static readonly ResiliencePropertyKey<bool> CapacityRefused = new("jobs.bedrock.capacity-refused");

    public static ResiliencePipeline Create(BedrockOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder()
                    .Handle<BedrockException>(e => e.IsRetryable)
                    .Handle<HttpRequestException>()
                    .Handle<TimeoutRejectedException>(),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                MaxDelay = options.RetryMaxDelay,
                MaxRetryAttempts = options.MaxRetries,
                OnRetry = args =>
                {
                    if (args.Outcome.Exception is BedrockException { IsCapacity: true })
                    {
                        args.Context.Properties.Set(CapacityRefused, true);
                    }

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
