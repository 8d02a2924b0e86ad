using System.Text.Json.Serialization;

namespace Jobs.Consumer.Bedrock;

/// <summary>One SDXL image; <c>finishReason</c> is <c>SUCCESS</c>, <c>ERROR</c> or <c>CONTENT_FILTERED</c>.</summary>
public sealed record StabilityXlArtifact
{
    [JsonPropertyName("seed")] public long Seed { get; init; }
    [JsonPropertyName("base64")] public string? Base64 { get; init; }
    [JsonPropertyName("finishReason")] public string? FinishReason { get; init; }
}
