using Jobs.Consumer;
using System.Text.Json;
using Jobs.Shared.Jobs;
using Jobs.Shared.Json;

namespace Jobs.Consumer.Bedrock;

/// <summary>Writes requests for, and reads answers from, SDXL 1.0.</summary>
public static class StabilityXlFamily
{
    public static byte[] WriteRequest(JobRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var prompts = new List<StabilityXlTextPrompt> { new() { Text = request.Prompt, Weight = 1.0 } };
        if (request.NegativePrompt is { } negative)
        {
            prompts.Add(new StabilityXlTextPrompt { Text = negative, Weight = -1.0 });
        }

        return JsonSerializer.SerializeToUtf8Bytes(new StabilityXlRequest
        {
            TextPrompts = prompts,
            CfgScale = request.CfgScale,
            Steps = request.Steps,
            Seed = request.Seed,
            Width = request.Width,
            Height = request.Height,
            StylePreset = request.Style,
            Samples = 1,
        }, ConsumerJsonContext.Default.StabilityXlRequest);
    }

    /// <exception cref="ImageGenerationException">The answer was filtered, failed, or not readable.</exception>
    public static IReadOnlyList<GeneratedImage> ReadResponse(byte[] body)
    {
        var response = FamilyJson.Read(body, ConsumerJsonContext.Default.StabilityXlResponse);
        var artifacts = response.Artifacts ?? [];
        foreach (var artifact in artifacts)
        {
            switch (artifact.FinishReason)
            {
                case "CONTENT_FILTERED":
                    throw new ImageGenerationException(new JobError(JobErrorCodes.ContentFiltered, "The image was blocked by the model's content filter (CONTENT_FILTERED)."), isRetryable: false);
                case "ERROR":
                    throw new ImageGenerationException(new JobError(JobErrorCodes.ModelError, "The model reported an error for the image (ERROR)."), isRetryable: false);
            }
        }

        if (artifacts.Count == 0 || artifacts.Any(a => string.IsNullOrEmpty(a.Base64)))
        {
            throw new ImageGenerationException(new JobError(JobErrorCodes.ModelError, $"The model returned no image (result: {response.Result ?? "none"})."), isRetryable: false);
        }

        return artifacts.Select(a => new GeneratedImage(FamilyJson.Decode(a.Base64!), a.Seed)).ToList();
    }
}
