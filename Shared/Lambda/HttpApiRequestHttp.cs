using System.Text.Json.Serialization;

namespace Jobs.Shared.Lambda;

/// <summary>The <c>requestContext.http</c> of an HTTP API 2.0 event.</summary>
public sealed record HttpApiRequestHttp
{
    [JsonPropertyName("method")] public string Method { get; init; } = "GET";
    [JsonPropertyName("path")] public string Path { get; init; } = "/";
    [JsonPropertyName("protocol")] public string? Protocol { get; init; }
    [JsonPropertyName("sourceIp")] public string? SourceIp { get; init; }
    [JsonPropertyName("userAgent")] public string? UserAgent { get; init; }
}
