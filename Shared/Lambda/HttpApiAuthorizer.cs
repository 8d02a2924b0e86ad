using System.Text.Json.Serialization;

namespace Jobs.Shared.Lambda;

/// <summary>
/// The <c>requestContext.authorizer</c> of an HTTP API 2.0 event: who API Gateway authenticated,
/// by IAM (SigV4) or by a JWT authorizer. The function trusts only this, never a request header.
/// </summary>
public sealed record HttpApiAuthorizer
{
    [JsonPropertyName("iam")] public HttpApiIamIdentity? Iam { get; init; }
    [JsonPropertyName("jwt")] public HttpApiJwtIdentity? Jwt { get; init; }
}
