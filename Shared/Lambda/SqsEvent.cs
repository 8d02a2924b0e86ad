using System.Text.Json.Serialization;

namespace Jobs.Shared.Lambda;

/// <summary>The event an SQS event source mapping sends to Lambda.</summary>
public sealed record SqsEvent
{
    private readonly IReadOnlyList<SqsEventMessage> _records = [];

    /// <summary>The batch; an event without records (or with <c>null</c>) is an empty batch, not an error.</summary>
    [JsonPropertyName("Records")]
    public IReadOnlyList<SqsEventMessage> Records
    {
        get => _records;
        init => _records = value ?? [];
    }
}
