using System.Text.Json.Serialization;

namespace Jobs.Consumer.Bedrock;

/// <summary>One weighted prompt of an SDXL request.</summary>
public sealed record StabilityXlTextPrompt
{
    [JsonPropertyName("text")] public string? Text { get; init; }
    [JsonPropertyName("weight")] public double? Weight { get; init; }
}
