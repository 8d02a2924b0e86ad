using System.Text.Json.Serialization;

namespace Jobs.Consumer.Bedrock;

/// <summary>
/// The InvokeModel answer of Stability's current models. A content-filtered result is still an
/// HTTP 200: <c>finish_reasons</c> then holds e.g. "Filter reason: prompt".
/// </summary>
public sealed record StabilityImageResponse
{
    [JsonPropertyName("seeds")] public IReadOnlyList<long>? Seeds { get; init; }
    [JsonPropertyName("finish_reasons")] public IReadOnlyList<string?>? FinishReasons { get; init; }
    [JsonPropertyName("images")] public IReadOnlyList<string>? Images { get; init; }
}
