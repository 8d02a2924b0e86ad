using System.Text.Json.Serialization;

namespace Jobs.Shared.Lambda;

/// <summary>A message of the batch that was not processed and must be delivered again.</summary>
public sealed record SqsBatchItemFailure([property: JsonPropertyName("itemIdentifier")] string ItemIdentifier);
