using System.Text.Json.Serialization;

namespace Jobs.Shared.Lambda;

/// <summary>API Gateway HTTP API event, payload format 2.0, as AWS documents it (fields this service reads).</summary>
public sealed record HttpApiRequest
{
    [JsonPropertyName("version")] public string Version { get; init; } = "2.0";
    [JsonPropertyName("routeKey")] public string RouteKey { get; init; } = "$default";
    [JsonPropertyName("rawPath")] public string RawPath { get; init; } = "/";
    [JsonPropertyName("rawQueryString")] public string RawQueryString { get; init; } = string.Empty;
    [JsonPropertyName("cookies")] public IReadOnlyList<string>? Cookies { get; init; }
    /// <summary>Header names are lower case; repeated headers are joined with commas.</summary>
    [JsonPropertyName("headers")] public IReadOnlyDictionary<string, string>? Headers { get; init; }
    /// <summary>Repeated parameters are joined with commas.</summary>
    [JsonPropertyName("queryStringParameters")] public IReadOnlyDictionary<string, string>? QueryStringParameters { get; init; }
    [JsonPropertyName("pathParameters")] public IReadOnlyDictionary<string, string>? PathParameters { get; init; }
    [JsonPropertyName("requestContext")] public HttpApiRequestContext RequestContext { get; init; } = new();
    [JsonPropertyName("body")] public string? Body { get; init; }
    [JsonPropertyName("isBase64Encoded")] public bool IsBase64Encoded { get; init; }

    public string? Header(string name) =>
        Headers is null ? null
        : Headers.TryGetValue(name.ToLowerInvariant(), out var value) ? value
        : Headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
}
