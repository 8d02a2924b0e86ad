using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Jobs.Shared.Bedrock;

/// <summary>
/// The one Polly pipeline every InvokeModel call goes through: retries with exponential backoff
/// and jitter on throttling, transient Bedrock errors, network faults and per-attempt timeouts.
/// The caller's token carries the invocation's total budget, so waiting never outlives the Lambda.
/// </summary>
public static class BedrockResilience
{
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
            })
            .AddTimeout(options.AttemptTimeout)
            .Build();
    }
}
