using System.Text.Json.Serialization;

namespace Jobs.Consumer.Bedrock;

/// <summary>The InvokeModel body of Stability's current text-to-image models.</summary>
public sealed record StabilityImageRequest
{
    [JsonPropertyName("prompt")] public required string Prompt { get; init; }
    [JsonPropertyName("negative_prompt")] public string? NegativePrompt { get; init; }
    [JsonPropertyName("aspect_ratio")] public string? AspectRatio { get; init; }
    [JsonPropertyName("seed")] public long? Seed { get; init; }
    [JsonPropertyName("output_format")] public string? OutputFormat { get; init; }
    [JsonPropertyName("mode")] public string? Mode { get; init; }
}
