using Jobs.Consumer;
using System.Text.Json;
using Jobs.Shared.Jobs;
using Jobs.Shared.Json;

namespace Jobs.Consumer.Bedrock;

/// <summary>Writes requests for, and reads answers from, Titan Image Generator and Nova Canvas.</summary>
public static class AmazonImageFamily
{
    public static byte[] WriteRequest(JobRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return JsonSerializer.SerializeToUtf8Bytes(new AmazonImageRequest
        {
            TextToImageParams = new AmazonTextToImageParams
            {
                Text = request.Prompt,
                NegativeText = request.NegativePrompt,
                Style = request.Style,
            },
            ImageGenerationConfig = new AmazonImageGenerationConfig
            {
                NumberOfImages = request.Count,
                Quality = request.Quality,
                CfgScale = request.CfgScale,
                Width = request.Width,
                Height = request.Height,
                Seed = request.Seed,
            },
        }, ConsumerJsonContext.Default.AmazonImageRequest);
    }

    /// <exception cref="ImageGenerationException">The answer was filtered, failed, or not readable.</exception>
    public static IReadOnlyList<GeneratedImage> ReadResponse(byte[] body, JobRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var response = FamilyJson.Read(body, ConsumerJsonContext.Default.AmazonImageResponse);
        if (response.Error is { Length: > 0 } error)
        {
            // "All of …" and "Some of the generated images have been blocked by our content filters."
            // Either way the job did not get what it asked for, so nothing is kept.
            var code = error.Contains("content filter", StringComparison.OrdinalIgnoreCase) ? JobErrorCodes.ContentFiltered : JobErrorCodes.ModelError;
            throw new ImageGenerationException(new JobError(code, error), isRetryable: false);
        }

        var images = response.Images ?? [];
        if (images.Count == 0)
        {
            throw new ImageGenerationException(new JobError(JobErrorCodes.ModelError, "The model returned no image."), isRetryable: false);
        }

        // Titan and Nova do not echo seeds; image i of a batch is the request's seed's i-th image.
        return images.Select(base64 => new GeneratedImage(FamilyJson.Decode(base64), request.Seed)).ToList();
    }
}
