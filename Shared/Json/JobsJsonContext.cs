using System.Text.Json.Serialization;
using Jobs.Shared.Bedrock;
using Jobs.Shared.Jobs;
using Jobs.Shared.Lambda;
using Jobs.Shared.Notices;
using Jobs.Shared.Queue;
using Jobs.Shared.Storage;

namespace Jobs.Shared.Json;

/// <summary>
/// Source-generated JSON for every shape this assembly reads or writes, so the Native AOT Lambdas
/// serialize without reflection.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true,
    Converters = [typeof(UtcTimestampConverter)])]
[JsonSerializable(typeof(JobMessage))]
[JsonSerializable(typeof(JobNotice))]
[JsonSerializable(typeof(JobSubmission))]
[JsonSerializable(typeof(JobCursor))]
[JsonSerializable(typeof(StabilityImageRequest))]
[JsonSerializable(typeof(StabilityImageResponse))]
[JsonSerializable(typeof(AmazonImageRequest))]
[JsonSerializable(typeof(AmazonImageResponse))]
[JsonSerializable(typeof(StabilityXlRequest))]
[JsonSerializable(typeof(StabilityXlResponse))]
[JsonSerializable(typeof(LambdaError))]
[JsonSerializable(typeof(HttpApiRequest))]
[JsonSerializable(typeof(HttpApiResponse))]
[JsonSerializable(typeof(SqsEvent))]
[JsonSerializable(typeof(SqsBatchResponse))]
public sealed partial class JobsJsonContext : JsonSerializerContext;
