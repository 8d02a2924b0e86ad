using System.Text.Json.Serialization;

namespace Jobs.Shared.Lambda;

/// <summary>The <c>requestContext</c> of an HTTP API 2.0 event.</summary>
public sealed record HttpApiRequestContext
{
    [JsonPropertyName("accountId")] public string? AccountId { get; init; }
    [JsonPropertyName("apiId")] public string? ApiId { get; init; }
    [JsonPropertyName("domainName")] public string? DomainName { get; init; }
    [JsonPropertyName("requestId")] public string? RequestId { get; init; }
    [JsonPropertyName("routeKey")] public string? RouteKey { get; init; }
    [JsonPropertyName("stage")] public string? Stage { get; init; }
    [JsonPropertyName("time")] public string? Time { get; init; }
    [JsonPropertyName("timeEpoch")] public long TimeEpoch { get; init; }
    [JsonPropertyName("http")] public HttpApiRequestHttp Http { get; init; } = new();
    [JsonPropertyName("authorizer")] public HttpApiAuthorizer? Authorizer { get; init; }
}
