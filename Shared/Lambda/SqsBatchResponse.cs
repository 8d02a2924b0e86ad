using System.Text.Json.Serialization;

namespace Jobs.Shared.Lambda;

/// <summary>
/// The answer to an SQS event when the mapping has <c>ReportBatchItemFailures</c>: only the listed
/// messages return to the queue; an empty list acknowledges the whole batch.
/// </summary>
public sealed record SqsBatchResponse
{
    [JsonPropertyName("batchItemFailures")] public IReadOnlyList<SqsBatchItemFailure> BatchItemFailures { get; init; } = [];
}
