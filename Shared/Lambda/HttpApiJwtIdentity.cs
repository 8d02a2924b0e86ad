using System.Text.Json;
using System.Text.Json.Serialization;

namespace Jobs.Shared.Lambda;

/// <summary>The validated token's claims, as a JWT authorizer passes them on.</summary>
public sealed record HttpApiJwtIdentity
{
    [JsonPropertyName("claims")] public Dictionary<string, JsonElement>? Claims { get; init; }
}
