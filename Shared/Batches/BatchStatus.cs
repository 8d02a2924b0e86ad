using System.Text.Json.Serialization;

namespace Jobs.Shared.Batches;

/// <summary>Where a batch is: its jobs being made, made and running, or all finished. Lower case on the wire and in DynamoDB.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<BatchStatus>))]
public enum BatchStatus
{
    [JsonStringEnumMemberName("expanding")] Expanding,
    [JsonStringEnumMemberName("running")] Running,
    [JsonStringEnumMemberName("completed")] Completed,
    [JsonStringEnumMemberName("canceled")] Canceled,
    /// <summary>The manifest could not be read at all (missing, not JSON, too many items).</summary>
    [JsonStringEnumMemberName("failed")] Failed,
}
