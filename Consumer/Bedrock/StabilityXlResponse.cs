using System.Text.Json.Serialization;

namespace Jobs.Consumer.Bedrock;

/// <summary>SDXL's answer: one artifact per image, each with its own finish reason.</summary>
public sealed record StabilityXlResponse
{
    [JsonPropertyName("result")] public string? Result { get; init; }
    [JsonPropertyName("artifacts")] public IReadOnlyList<StabilityXlArtifact>? Artifacts { get; init; }
}
