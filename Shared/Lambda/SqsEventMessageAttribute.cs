using System.Text.Json.Serialization;

namespace Jobs.Shared.Lambda;

/// <summary>A user message attribute in an SQS event record.</summary>
public sealed record SqsEventMessageAttribute
{
    [JsonPropertyName("stringValue")] public string? StringValue { get; init; }
    [JsonPropertyName("binaryValue")] public string? BinaryValue { get; init; }
    [JsonPropertyName("stringListValues")] public IReadOnlyList<string> StringListValues { get; init; } = [];
    [JsonPropertyName("binaryListValues")] public IReadOnlyList<string> BinaryListValues { get; init; } = [];
    [JsonPropertyName("dataType")] public string DataType { get; init; } = "String";
}
