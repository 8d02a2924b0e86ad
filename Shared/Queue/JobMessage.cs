using System.Text.Json.Serialization;

namespace Jobs.Shared.Queue;

/// <summary>
/// The queue message: the job id and the dispatch it was sent for. The job item holds everything
/// else, so a message can never disagree with its job; the dispatch lets a stale copy (an older
/// message that came back, a duplicate delivery) be recognised and acknowledged without work.
/// </summary>
public sealed record JobMessage(
    [property: JsonPropertyName("jobId")] string JobId,
    [property: JsonPropertyName("dispatch")] int Dispatch = 1)
{
    /// <summary>A batch job's message: it goes to the bulk queue, so single jobs never wait behind a batch in the queue.</summary>
    [JsonIgnore]
    public bool Bulk { get; init; }
}
