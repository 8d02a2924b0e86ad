using System.Text.Json.Serialization;

namespace Jobs.Shared.Jobs;

/// <summary>
/// Where a job is in its life. Names on the wire and in DynamoDB are lower case so that
/// clients, filter policies and the status index all see the same words.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<JobStatus>))]
public enum JobStatus
{
    [JsonStringEnumMemberName("queued")] Queued,
    [JsonStringEnumMemberName("running")] Running,
    [JsonStringEnumMemberName("succeeded")] Succeeded,
    [JsonStringEnumMemberName("failed")] Failed,
    [JsonStringEnumMemberName("canceled")] Canceled,
}
