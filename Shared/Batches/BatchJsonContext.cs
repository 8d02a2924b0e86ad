using System.Text.Json.Serialization;
using Jobs.Shared.Json;
using Jobs.Shared.Requests;

namespace Jobs.Shared.Batches;

/// <summary>Source-generated JSON for manifests, chunk files, results lines and batch messages (Native AOT).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true,
    AllowDuplicateProperties = false,
    Converters = [typeof(UtcTimestampConverter)])]
[JsonSerializable(typeof(JobSubmission))]
[JsonSerializable(typeof(BatchEntry))]
[JsonSerializable(typeof(BatchMessage))]
[JsonSerializable(typeof(BatchResultLine))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(OutputLocation))]
public sealed partial class BatchJsonContext : JsonSerializerContext;
