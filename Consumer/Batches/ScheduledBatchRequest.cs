using System.Text.Json.Serialization;

namespace Jobs.Consumer.Batches;

/// <summary>
/// The input of a <c>jobs:schedules</c> schedule: which manifest to run, for whom, and the
/// scheduler's <c>&lt;aws.scheduler.scheduled-time&gt;</c>, from which the batch's id is derived so a
/// repeated invocation for one run makes one batch.
/// </summary>
public sealed record ScheduledBatchRequest
{
    [JsonPropertyName("name")] public string? Name { get; init; }
    [JsonPropertyName("bucket")] public string? Bucket { get; init; }
    [JsonPropertyName("key")] public string? Key { get; init; }
    /// <summary>Who the batch's jobs belong to (an IAM principal ARN, a JWT's <c>issuer#subject</c>); default <c>schedule:&lt;name&gt;</c>.</summary>
    [JsonPropertyName("owner")] public string? Owner { get; init; }
    [JsonPropertyName("scheduledTime")] public string? ScheduledTime { get; init; }
}
