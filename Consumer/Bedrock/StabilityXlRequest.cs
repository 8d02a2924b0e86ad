using System.Text.Json.Serialization;

namespace Jobs.Consumer.Bedrock;

/// <summary>The InvokeModel body of SDXL 1.0; a negative prompt is a text prompt with negative weight.</summary>
public sealed record StabilityXlRequest
{
    [JsonPropertyName("text_prompts")] public IReadOnlyList<StabilityXlTextPrompt>? TextPrompts { get; init; }
    [JsonPropertyName("cfg_scale")] public double? CfgScale { get; init; }
    [JsonPropertyName("steps")] public int? Steps { get; init; }
    [JsonPropertyName("seed")] public long? Seed { get; init; }
    [JsonPropertyName("width")] public int? Width { get; init; }
    [JsonPropertyName("height")] public int? Height { get; init; }
    [JsonPropertyName("style_preset")] public string? StylePreset { get; init; }
    [JsonPropertyName("samples")] public int? Samples { get; init; }
}
