using System.Text.Json.Serialization;

namespace Jobs.Shared.Lambda;

/// <summary>The structured Lambda answer to an HTTP API 2.0 event.</summary>
public sealed record HttpApiResponse
{
    [JsonPropertyName("statusCode")] public int StatusCode { get; init; }
    [JsonPropertyName("headers")] public IReadOnlyDictionary<string, string>? Headers { get; init; }
    [JsonPropertyName("body")] public string? Body { get; init; }
    [JsonPropertyName("isBase64Encoded")] public bool IsBase64Encoded { get; init; }
    [JsonPropertyName("cookies")] public IReadOnlyList<string>? Cookies { get; init; }
}
