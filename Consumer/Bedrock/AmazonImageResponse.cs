using System.Text.Json.Serialization;

namespace Jobs.Consumer.Bedrock;

/// <summary>
/// Titan / Nova Canvas answer. A blocked output still comes back as HTTP 200, with
/// <see cref="Error"/> set ("All of the generated images have been blocked by our content filters.").
/// </summary>
public sealed record AmazonImageResponse
{
    [JsonPropertyName("images")] public IReadOnlyList<string>? Images { get; init; }
    [JsonPropertyName("error")] public string? Error { get; init; }
}
