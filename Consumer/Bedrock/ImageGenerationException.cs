using Jobs.Shared.Jobs;

namespace Jobs.Consumer.Bedrock;

/// <summary>
/// Generation did not produce images. <see cref="IsRetryable"/> says whether the job should wait
/// and try again or fail now with <see cref="Error"/>; <see cref="IsCapacity"/> says the wait is
/// Bedrock's lack of capacity (throttling, a model warming up, an open circuit), which must never
/// count against the job.
/// </summary>
public sealed class ImageGenerationException(JobError error, bool isRetryable, Exception? inner = null, bool isCapacity = false)
    : Exception(error?.Message, inner)
{
    /// <summary>Bedrock throttled: the pace let through more than the model's quota, so it must slow down.</summary>
    public bool IsThrottle => InnerException is BedrockException { ErrorType: BedrockErrors.Throttling };

    public JobError Error { get; } = error ?? throw new ArgumentNullException(nameof(error));
    public bool IsRetryable { get; } = isRetryable || isCapacity;
    public bool IsCapacity { get; } = isCapacity;
}
