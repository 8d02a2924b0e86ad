using System.Net;
using System.Text;
using System.Text.Json;
using Jobs.Producer.Api;
using Jobs.Shared.Batches;
using Jobs.Shared.Images;
using Jobs.Shared.Jobs;
using Jobs.Shared.Lambda;
using Jobs.Shared.Queue;
using Jobs.Shared.Requests;
using Jobs.Shared.Storage;
using Jobs.Shared.Uploads;
using JobBatch = Jobs.Shared.Batches.Batch;

namespace Jobs.Producer.Batches;

/// <summary>
/// <c>POST /batches</c>: either <c>items</c> inline (checked all or nothing, each bad item's index and
/// field named) or a <c>manifest</c> in S3. The batch is recorded and its first step queued; the
/// consumer makes the jobs. Inline items are copied to S3 first, so both kinds expand the same way;
/// a crash before the batch item is written leaves only an unreferenced copy.
/// </summary>
public sealed class SubmitBatch(
    IBatchStore batches,
    IJobQueue queue,
    BatchFiles files,
    BatchItemReader reader,
    BatchOptions options,
    ImageStoreOptions images,
    JobStoreOptions storeOptions,
    BatchViews views,
    Shared.Uploads.UploadOptions uploads,
    TimeProvider time)
{
    /// <summary>A thousand full-size items fit; Lambda's synchronous payload limit is 6 MB.</summary>
    public const int MaxBodyBytes = 6 * 1024 * 1024;

    public async Task<HttpApiResponse> HandleAsync(HttpApiRequest request, string owner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        const string path = "/batches";
        byte[] body;
        try
        {
            body = request.Body is null ? [] : request.IsBase64Encoded ? Convert.FromBase64String(request.Body) : Encoding.UTF8.GetBytes(request.Body);
        }
        catch (FormatException)
        {
            return ApiResults.Problem(HttpStatusCode.BadRequest, ProblemTypes.MalformedJson, "Malformed body", "The body could not be decoded.", path);
        }

        if (body.Length > MaxBodyBytes)
        {
            return ApiResults.Problem(HttpStatusCode.RequestEntityTooLarge, ProblemTypes.PayloadTooLarge, "Request body too large", $"The body is {body.Length} bytes; the limit is {MaxBodyBytes}. Put the items in a manifest in S3.", path);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { AllowDuplicateProperties = false });
        }
        catch (JsonException ex)
        {
            return ApiResults.Problem(HttpStatusCode.BadRequest, ProblemTypes.MalformedJson, "Malformed JSON", $"The body is not valid JSON ({ex.Message}).", path);
        }

        using (document)
        {
            var root = document.RootElement;
            var hasItems = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("items", out var items);
            var hasManifest = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("manifest", out var manifest);
            if (hasItems == hasManifest)
            {
                return Invalid(path, [new FieldError("items", "send either items (a list of job requests) or manifest ({\"bucket\", \"key\"}), not both and not neither.")]);
            }

            var unknown = root.EnumerateObject().Select(p => p.Name).Where(n => n is not ("items" or "manifest")).Select(n => new FieldError(n, "is not a field of a batch.")).ToList();
            if (unknown.Count > 0)
            {
                return Invalid(path, unknown);
            }

            var id = JobIds.New(time);
            OutputLocation location;
            if (hasItems)
            {
                var list = root.GetProperty("items");
                if (list.ValueKind != JsonValueKind.Array || list.GetArrayLength() is 0 || list.GetArrayLength() > options.MaxInlineItems)
                {
                    return Invalid(path, [new FieldError("items", $"must be a list of 1-{options.MaxInlineItems} job requests; put more in a manifest.")]);
                }

                var errors = new List<FieldError>();
                var clientIds = new HashSet<string>(StringComparer.Ordinal);
                var index = 0;
                foreach (var item in list.EnumerateArray())
                {
                    var (entry, itemErrors) = reader.Read(item, index, $"items[{index}]");
                    errors.AddRange(itemErrors);
                    if (entry?.ClientId is { } clientId && !clientIds.Add(clientId))
                    {
                        errors.Add(new FieldError($"items[{index}].id", $"'{clientId}' is already the id of an earlier item."));
                    }

                    index++;
                }

                if (errors.Count > 0)
                {
                    return Invalid(path, errors);
                }

                await files.WriteManifestAsync(id, list.EnumerateArray(), cancellationToken).ConfigureAwait(false);
                location = new OutputLocation(images.BucketName, BatchFiles.ManifestKey(id));
            }
            else
            {
                var m = root.GetProperty("manifest");
                if (m.ValueKind == JsonValueKind.Object && m.TryGetProperty("uploadId", out var upload))
                {
                    // A manifest uploaded through POST /uploads, under the caller's own prefix.
                    var uploadId = upload.ValueKind == JsonValueKind.String ? upload.GetString() : null;
                    if (!uploads.Enabled || uploadId is null || uploadId.Length != 32 || !uploadId.All(char.IsAsciiHexDigitLower) || m.EnumerateObject().Count() != 1)
                    {
                        return Invalid(path, [new FieldError("manifest.uploadId", uploads.Enabled ? "must be an upload id from POST /uploads (32 hexadecimal characters), alone." : "cannot be used: this deployment has no uploads bucket.")]);
                    }

                    location = new OutputLocation(uploads.BucketName, UploadKeys.KeyFor(uploads, owner, uploadId));
                }
                else
                {
                    var bucket = m.ValueKind == JsonValueKind.Object && m.TryGetProperty("bucket", out var b) && b.ValueKind == JsonValueKind.String ? b.GetString() : null;
                    var key = m.ValueKind == JsonValueKind.Object && m.TryGetProperty("key", out var k) && k.ValueKind == JsonValueKind.String ? k.GetString() : null;
                    var errors = new List<FieldError>();
                    if (bucket is null || (bucket != images.BucketName && !options.ManifestBuckets.Contains(bucket)))
                    {
                        errors.Add(new FieldError("manifest.bucket", $"must be a bucket this deployment reads manifests from: {string.Join(", ", options.ManifestBuckets.Append(images.BucketName).Order(StringComparer.Ordinal))}."));
                    }

                    if (key is not { Length: > 0 })
                    {
                        errors.Add(new FieldError("manifest.key", "must name the manifest object (a JSON array or JSON Lines of job requests)."));
                    }

                    if (errors.Count > 0)
                    {
                        return Invalid(path, errors);
                    }

                    location = new OutputLocation(bucket!, key!);
                }
            }

            var now = time.GetUtcNow();
            var batch = new JobBatch
            {
                Id = id,
                Owner = owner,
                Status = BatchStatus.Expanding,
                Manifest = location,
                CreatedAt = now,
                UpdatedAt = now,
                ExpiresAt = now + storeOptions.Retention,
            };
            await batches.CreateAsync(batch, cancellationToken).ConfigureAwait(false);
            await queue.EnqueueBatchStepAsync(new BatchMessage(id, 0), cancellationToken).ConfigureAwait(false);
            return ApiResults.Json(202, await views.ToViewAsync(batch, cancellationToken).ConfigureAwait(false), ProducerJsonContext.Default.BatchView, new Dictionary<string, string> { ["location"] = $"/batches/{id}" });
        }
    }

    private static HttpApiResponse Invalid(string path, IReadOnlyList<FieldError> errors) =>
        ApiResults.Problem(HttpStatusCode.BadRequest, ProblemTypes.Validation, "The batch is not valid", string.Join(" ", errors.Take(20).Select(e => $"{e.Field} {e.Message}")), path, errors);
}
