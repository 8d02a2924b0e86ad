using Jobs.Shared.Jobs;

namespace Jobs.Shared.Bedrock;

/// <summary>
/// Generation did not produce images. <see cref="IsRetryable"/> says whether the job should wait
/// and try again (throttling, transient faults) or fail now with <see cref="Error"/>.
/// </summary>
public sealed class ImageGenerationException(JobError error, bool isRetryable, Exception? inner = null)
    : Exception(error?.Message, inner)
{
    public JobError Error { get; } = error ?? throw new ArgumentNullException(nameof(error));
    public bool IsRetryable { get; } = isRetryable;
}
