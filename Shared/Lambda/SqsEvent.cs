using System.Text.Json.Serialization;

namespace Jobs.Shared.Lambda;

/// <summary>The event an SQS event source mapping sends to Lambda.</summary>
public sealed record SqsEvent
{
    [JsonPropertyName("Records")] public IReadOnlyList<SqsEventMessage> Records { get; init; } = [];
}
