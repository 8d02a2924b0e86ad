using System.Text.Json.Serialization;

namespace Jobs.Consumer.Bedrock;

/// <summary>The prompt part of a Titan / Nova Canvas request; <c>style</c> is Nova Canvas only.</summary>
public sealed record AmazonTextToImageParams
{
    [JsonPropertyName("text")] public string? Text { get; init; }
    [JsonPropertyName("negativeText")] public string? NegativeText { get; init; }
    [JsonPropertyName("style")] public string? Style { get; init; }
}
