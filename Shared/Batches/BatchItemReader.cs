using System.Text.Json;
using Jobs.Shared.Requests;

namespace Jobs.Shared.Batches;

/// <summary>
/// Reads one batch item, a job request plus the batch's own fields (<c>id</c>, <c>metadata</c>,
/// <c>output</c>), with the same rules as <c>POST /jobs</c>; every broken rule is named with the
/// item's path (<c>items[3].prompt</c>), so a client fixes them all in one go.
/// </summary>
public sealed class BatchItemReader(JobRequestValidator validator, BatchOptions options)
{
    public const int MaxClientIdLength = 100;
    public const int MaxMetadataEntries = 20;
    public const int MaxMetadataTextLength = 256;
    public const int MaxOutputKeyLength = 1024;

    /// <summary>The item as an entry, or the rules it broke (field names prefixed with <paramref name="path"/>).</summary>
    public (BatchEntry? Entry, IReadOnlyList<FieldError> Errors) Read(JsonElement item, int index, string path)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            return (null, [new FieldError(path, "must be an object: a job request with optional id, metadata and output.")]);
        }

        JobSubmission? submission;
        try
        {
            submission = item.Deserialize(BatchJsonContext.Default.JobSubmission);
        }
        catch (JsonException ex)
        {
            return (null, [new FieldError(path, $"is not a job request: {ex.Message}")]);
        }

        var errors = new List<FieldError>();
        var extra = submission!.UnknownFields ?? [];
        string? clientId = null;
        Dictionary<string, string>? metadata = null;
        OutputLocation? output = null;
        if (extra.Remove("id", out var id))
        {
            clientId = id.ValueKind == JsonValueKind.String ? id.GetString() : null;
            if (clientId is not { Length: > 0 and <= MaxClientIdLength } || !clientId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            {
                errors.Add(new FieldError($"{path}.id", $"must be 1-{MaxClientIdLength} letters, digits, '-', '_' or '.'."));
            }
        }

        if (extra.Remove("metadata", out var meta))
        {
            metadata = ReadMetadata(meta, $"{path}.metadata", errors);
        }

        if (extra.Remove("output", out var target))
        {
            output = ReadOutput(target, $"{path}.output", errors);
        }

        var outcome = validator.Validate(submission with { UnknownFields = extra.Count > 0 ? extra : null });
        errors.AddRange(outcome.Errors.Select(e => e with { Field = $"{path}.{e.Field}" }));
        if (outcome.Request is { Inputs.Count: > 0 } edit)
        {
            // An upload lives a day and belongs to whoever made it; a batch may run long after, so its items are text-to-image.
            errors.Add(new FieldError($"{path}.{edit.Inputs[0].Name}", "batch items cannot read uploaded images; submit edits as single jobs."));
        }

        return errors.Count > 0 || outcome.Request is null
            ? (null, errors)
            : (new BatchEntry(index, clientId, metadata, output, outcome.Request), []);
    }

    private static Dictionary<string, string>? ReadMetadata(JsonElement meta, string path, List<FieldError> errors)
    {
        if (meta.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new FieldError(path, "must be an object of text values."));
            return null;
        }

        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in meta.EnumerateObject())
        {
            if (property.Value.ValueKind != JsonValueKind.String || property.Name.Length is 0 or > 64 || property.Value.GetString()!.Length > MaxMetadataTextLength)
            {
                errors.Add(new FieldError($"{path}.{property.Name}", $"must be text of at most {MaxMetadataTextLength} characters under a name of 1-64."));
                continue;
            }

            metadata[property.Name] = property.Value.GetString()!;
        }

        if (metadata.Count > MaxMetadataEntries)
        {
            errors.Add(new FieldError(path, $"may hold at most {MaxMetadataEntries} entries."));
        }

        return metadata;
    }

    private OutputLocation? ReadOutput(JsonElement target, string path, List<FieldError> errors)
    {
        var bucket = target.ValueKind == JsonValueKind.Object && target.TryGetProperty("bucket", out var b) && b.ValueKind == JsonValueKind.String ? b.GetString() : null;
        var key = target.ValueKind == JsonValueKind.Object && target.TryGetProperty("key", out var k) && k.ValueKind == JsonValueKind.String ? k.GetString() : null;
        if (bucket is null || !options.OutputBuckets.Contains(bucket))
        {
            var allowed = options.OutputBuckets.Count == 0 ? "none is configured (JOBS_OUTPUT_BUCKETS)" : string.Join(", ", options.OutputBuckets.Order(StringComparer.Ordinal));
            errors.Add(new FieldError($"{path}.bucket", $"must be a bucket this deployment writes to: {allowed}."));
        }

        if (key is not { Length: > 0 and <= MaxOutputKeyLength } || key.StartsWith('/'))
        {
            errors.Add(new FieldError($"{path}.key", $"must be an object key of 1-{MaxOutputKeyLength} characters, not starting with '/'."));
        }

        return bucket is not null && key is not null ? new OutputLocation(bucket, key) : null;
    }
}
