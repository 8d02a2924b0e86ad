using System.Text.Json.Serialization;

namespace Jobs.Consumer.Bedrock;

/// <summary>The generation settings of a Titan / Nova Canvas request.</summary>
public sealed record AmazonImageGenerationConfig
{
    [JsonPropertyName("numberOfImages")] public int? NumberOfImages { get; init; }
    [JsonPropertyName("quality")] public string? Quality { get; init; }
    [JsonPropertyName("cfgScale")] public double? CfgScale { get; init; }
    [JsonPropertyName("height")] public int? Height { get; init; }
    [JsonPropertyName("width")] public int? Width { get; init; }
    [JsonPropertyName("seed")] public long? Seed { get; init; }
}
