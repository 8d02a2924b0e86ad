using System.Text.Json.Serialization;

namespace Jobs.Shared.Lambda;

/// <summary>The IAM principal that signed the request, as API Gateway's IAM authorization reports it.</summary>
public sealed record HttpApiIamIdentity
{
    [JsonPropertyName("accountId")] public string? AccountId { get; init; }
    [JsonPropertyName("userArn")] public string? UserArn { get; init; }
    [JsonPropertyName("userId")] public string? UserId { get; init; }
}
