using System.Text.Json.Serialization;

namespace Jobs.Consumer.Bedrock;

/// <summary>The InvokeModel body shared by Titan Image Generator v1/v2 and Nova Canvas.</summary>
public sealed record AmazonImageRequest
{
    [JsonPropertyName("taskType")] public string TaskType { get; init; } = "TEXT_IMAGE";
    [JsonPropertyName("textToImageParams")] public AmazonTextToImageParams? TextToImageParams { get; init; }
    [JsonPropertyName("imageGenerationConfig")] public AmazonImageGenerationConfig? ImageGenerationConfig { get; init; }
}
