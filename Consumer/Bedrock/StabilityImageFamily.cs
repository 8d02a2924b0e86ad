using Jobs.Consumer;
using System.Text.Json;
using Jobs.Shared.Jobs;
using Jobs.Shared.Json;

namespace Jobs.Consumer.Bedrock;

/// <summary>Writes requests for, and reads answers from, Stability's current text-to-image models.</summary>
public static class StabilityImageFamily
{
    public static byte[] WriteRequest(JobRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return JsonSerializer.SerializeToUtf8Bytes(new StabilityImageRequest
        {
            Prompt = request.Prompt,
            NegativePrompt = request.NegativePrompt,
            AspectRatio = request.AspectRatio,
            Seed = request.Seed,
            OutputFormat = request.OutputFormat,
        }, ConsumerJsonContext.Default.StabilityImageRequest);
    }

    /// <exception cref="ImageGenerationException">The answer was filtered, failed, or not readable.</exception>
    public static IReadOnlyList<GeneratedImage> ReadResponse(byte[] body)
    {
        var response = FamilyJson.Read(body, ConsumerJsonContext.Default.StabilityImageResponse);
        var reasons = response.FinishReasons ?? [];
        foreach (var reason in reasons)
        {
            if (reason is null)
            {
                continue;
            }

            if (reason.StartsWith("Filter reason", StringComparison.OrdinalIgnoreCase))
            {
                throw new ImageGenerationException(new JobError(JobErrorCodes.ContentFiltered, reason), isRetryable: false);
            }

            throw new ImageGenerationException(new JobError(JobErrorCodes.ModelError, reason), isRetryable: false);
        }

        var images = response.Images ?? [];
        if (images.Count == 0)
        {
            throw new ImageGenerationException(new JobError(JobErrorCodes.ModelError, "The model returned no image."), isRetryable: false);
        }

        var seeds = response.Seeds ?? [];
        return images.Select((base64, i) => new GeneratedImage(FamilyJson.Decode(base64), i < seeds.Count ? seeds[i] : 0)).ToList();
    }
}
