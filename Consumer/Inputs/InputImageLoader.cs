using System.Security.Cryptography;
using Jobs.Consumer.Bedrock;
using Jobs.Shared.Jobs;
using Jobs.Shared.Uploads;

namespace Jobs.Consumer.Inputs;

/// <summary>
/// Reads a job's input images from the uploads bucket before its Bedrock call, and refuses (without
/// calling, so without paying) an upload that has expired or is no longer the bytes the producer
/// validated.
/// </summary>
public sealed class InputImageLoader(IUploadStore uploads, UploadOptions options)
{
    /// <exception cref="ImageGenerationException">An input is gone or changed: the job fails, not retried.</exception>
    public async Task<IReadOnlyList<InputImage>> LoadAsync(JobRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var images = new List<InputImage>(request.Inputs.Count);
        foreach (var input in request.Inputs)
        {
            byte[]? bytes;
            try
            {
                bytes = await uploads.ReadAsync(input.Key, options.MaxBytes, cancellationToken).ConfigureAwait(false);
            }
            catch (UploadTooLargeException)
            {
                bytes = null;
            }

            if (bytes is null)
            {
                throw new ImageGenerationException(new JobError(JobErrorCodes.InputUnavailable, $"The {input.Name} upload {input.UploadId} is gone (uploads expire); upload it again and submit a new job."), isRetryable: false);
            }

            if (!string.Equals(Convert.ToHexStringLower(SHA256.HashData(bytes)), input.Sha256, StringComparison.Ordinal))
            {
                throw new ImageGenerationException(new JobError(JobErrorCodes.InputUnavailable, $"The {input.Name} upload {input.UploadId} changed after the job was accepted; nothing was generated from it."), isRetryable: false);
            }

            images.Add(new InputImage(input, bytes));
        }

        return images;
    }
}
