using System.Text.Json.Serialization;

namespace Jobs.Shared.Lambda;

/// <summary>One record of an SQS event, as AWS documents it.</summary>
public sealed record SqsEventMessage
{
    [JsonPropertyName("messageId")] public string MessageId { get; init; } = string.Empty;
    [JsonPropertyName("receiptHandle")] public string ReceiptHandle { get; init; } = string.Empty;
    [JsonPropertyName("body")] public string Body { get; init; } = string.Empty;
    /// <summary>System attributes such as <c>ApproximateReceiveCount</c> and <c>SentTimestamp</c>.</summary>
    [JsonPropertyName("attributes")] public IReadOnlyDictionary<string, string> Attributes { get; init; } = new Dictionary<string, string>();
    [JsonPropertyName("messageAttributes")] public IReadOnlyDictionary<string, SqsEventMessageAttribute> MessageAttributes { get; init; } = new Dictionary<string, SqsEventMessageAttribute>();
    [JsonPropertyName("md5OfBody")] public string? Md5OfBody { get; init; }
    [JsonPropertyName("eventSource")] public string EventSource { get; init; } = "aws:sqs";
    [JsonPropertyName("eventSourceARN")] public string? EventSourceArn { get; init; }
    [JsonPropertyName("awsRegion")] public string? AwsRegion { get; init; }

    /// <summary>How many times SQS has handed out this message, 1 on the first delivery.</summary>
    public int ReceiveCount =>
        Attributes.TryGetValue("ApproximateReceiveCount", out var text) && int.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var count) ? count : 1;
}
