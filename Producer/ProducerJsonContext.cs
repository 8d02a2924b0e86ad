using Jobs.Shared.Requests;
using System.Text.Json.Serialization;
using Jobs.Producer.Api;
using Jobs.Producer.Jobs;
using Jobs.Producer.Models;
using Jobs.Shared.Json;

namespace Jobs.Producer;

/// <summary>Source-generated JSON for the API's wire shapes (Native AOT).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true,
    // A key given twice is refused: which of the two values a reader keeps differs between readers.
    AllowDuplicateProperties = false,
    Converters = [typeof(UtcTimestampConverter)])]
[JsonSerializable(typeof(JobSubmission))]
[JsonSerializable(typeof(JobView))]
[JsonSerializable(typeof(JobListView))]
[JsonSerializable(typeof(ProblemDocument))]
[JsonSerializable(typeof(ModelListView))]
[JsonSerializable(typeof(Batches.BatchView))]
[JsonSerializable(typeof(Batches.BatchCounts))]
[JsonSerializable(typeof(Batches.BatchListView))]
[JsonSerializable(typeof(Batches.BatchJobsView))]
[JsonSerializable(typeof(Uploads.UploadRequest))]
[JsonSerializable(typeof(Uploads.UploadView))]
public sealed partial class ProducerJsonContext : JsonSerializerContext;
