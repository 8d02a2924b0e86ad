using System.Text.Json.Serialization;
using Jobs.Consumer.Bedrock;
using Jobs.Consumer.Notices;
using Jobs.Shared.Json;

namespace Jobs.Consumer;

/// <summary>Source-generated JSON for what only the consumer reads and writes: Bedrock's bodies and the notices (Native AOT).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true,
    Converters = [typeof(UtcTimestampConverter)])]
[JsonSerializable(typeof(ConsumerEvent))]
[JsonSerializable(typeof(JobNotice))]
[JsonSerializable(typeof(BatchNotice))]
[JsonSerializable(typeof(StabilityImageRequest))]
[JsonSerializable(typeof(StabilityImageResponse))]
[JsonSerializable(typeof(AmazonImageRequest))]
[JsonSerializable(typeof(AmazonImageResponse))]
[JsonSerializable(typeof(StabilityXlRequest))]
[JsonSerializable(typeof(StabilityXlResponse))]
public sealed partial class ConsumerJsonContext : JsonSerializerContext;
