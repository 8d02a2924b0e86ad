using System.Text.Json.Serialization;

namespace Jobs.Shared.Batches;

/// <summary>
/// A queue message that moves a batch on: step 0 reads and checks the manifest, step <c>k</c> creates
/// the jobs of chunk <c>k-1</c>; <see cref="Cancel"/> cancels its jobs. Each step is idempotent and the
/// batch item says which step is next, so a duplicate or stale message does nothing.
/// </summary>
public sealed record BatchMessage(
    [property: JsonPropertyName("batchId")] string BatchId,
    [property: JsonPropertyName("step")] int Step,
    [property: JsonPropertyName("cancel")] bool Cancel = false);
