using System.Text.Json.Serialization;
using Jobs.Shared.Jobs;
using Jobs.Shared.Lambda;
using Jobs.Shared.Queue;
using Jobs.Shared.Storage;

namespace Jobs.Shared.Json;

/// <summary>
/// Source-generated JSON for the shapes both functions read or write (queue messages, cursors, the
/// Lambda event records), so the Native AOT Lambdas serialize without reflection.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true,
    Converters = [typeof(UtcTimestampConverter)])]
[JsonSerializable(typeof(JobMessage))]
[JsonSerializable(typeof(JobCursor))]
[JsonSerializable(typeof(LambdaError))]
[JsonSerializable(typeof(HttpApiRequest))]
[JsonSerializable(typeof(HttpApiResponse))]
[JsonSerializable(typeof(SqsEvent))]
[JsonSerializable(typeof(SqsBatchResponse))]
public sealed partial class JobsJsonContext : JsonSerializerContext;
