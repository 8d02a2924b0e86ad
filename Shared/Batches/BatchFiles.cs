using System.Text;
using System.Text.Json;
using Amazon.S3;
using Amazon.S3.Model;
using Jobs.Shared.Images;

namespace Jobs.Shared.Batches;

/// <summary>
/// A batch's files in S3, under <c>batches/{id}/</c> of the service's bucket: the copy of an inline
/// manifest, the checked items split into chunk files (one expansion step each), the items that
/// could not become jobs, and the results. Each is written whole and deterministically, so a step
/// that runs twice writes the same bytes.
/// </summary>
public sealed class BatchFiles(IAmazonS3 s3, ImageStoreOptions images)
{
    public const string KeyPrefix = "batches/";

    public static string ManifestKey(string batchId) => $"{KeyPrefix}{batchId}/manifest.jsonl";

    public static string ChunkKey(string batchId, int chunk) => $"{KeyPrefix}{batchId}/chunks/{chunk:D5}.jsonl";

    public static string InvalidKey(string batchId) => $"{KeyPrefix}{batchId}/invalid.jsonl";

    public static string ResultsKey(string batchId) => $"{KeyPrefix}{batchId}/results.jsonl";

    public string BucketName => images.BucketName;

    public Task WriteManifestAsync(string batchId, IEnumerable<JsonElement> items, CancellationToken cancellationToken) =>
        PutAsync(ManifestKey(batchId), string.Join('\n', items.Select(i => i.GetRawText())), cancellationToken);

    /// <summary>
    /// The manifest's items: a JSON array, or JSON Lines (one object per line, blank lines skipped).
    /// A line that is not JSON becomes a string element, so it is reported as a bad item, not a failed batch.
    /// </summary>
    /// <exception cref="AmazonS3Exception">The manifest cannot be read.</exception>
    public async Task<List<JsonElement>> ReadManifestAsync(OutputLocation manifest, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var text = await GetAsync(manifest.Bucket, manifest.Key, cancellationToken).ConfigureAwait(false);
        if (text.TrimStart().StartsWith('['))
        {
            using var array = JsonDocument.Parse(text);
            return [.. array.RootElement.EnumerateArray().Select(e => e.Clone())];
        }

        var items = new List<JsonElement>();
        foreach (var line in text.Split('\n'))
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            try
            {
                using var item = JsonDocument.Parse(line);
                items.Add(item.RootElement.Clone());
            }
            catch (JsonException)
            {
                items.Add(JsonSerializer.SerializeToElement("not JSON", BatchJsonContext.Default.String));
            }
        }

        return items;
    }

    public Task WriteChunkAsync(string batchId, int chunk, IEnumerable<BatchEntry> entries, CancellationToken cancellationToken) =>
        PutAsync(ChunkKey(batchId, chunk), string.Join('\n', entries.Select(e => JsonSerializer.Serialize(e, BatchJsonContext.Default.BatchEntry))), cancellationToken);

    public async Task<List<BatchEntry>> ReadChunkAsync(string batchId, int chunk, CancellationToken cancellationToken) =>
        [.. Lines(await GetAsync(images.BucketName, ChunkKey(batchId, chunk), cancellationToken).ConfigureAwait(false)).Select(l => JsonSerializer.Deserialize(l, BatchJsonContext.Default.BatchEntry)!)];

    public Task WriteInvalidAsync(string batchId, IEnumerable<BatchResultLine> invalid, CancellationToken cancellationToken) =>
        PutAsync(InvalidKey(batchId), string.Join('\n', invalid.Select(e => JsonSerializer.Serialize(e, BatchJsonContext.Default.BatchResultLine))), cancellationToken);

    public async Task<List<BatchResultLine>> ReadInvalidAsync(string batchId, CancellationToken cancellationToken) =>
        [.. Lines(await GetAsync(images.BucketName, InvalidKey(batchId), cancellationToken).ConfigureAwait(false)).Select(l => JsonSerializer.Deserialize(l, BatchJsonContext.Default.BatchResultLine)!)];

    public Task WriteResultsAsync(string batchId, IEnumerable<BatchResultLine> lines, CancellationToken cancellationToken) =>
        PutAsync(ResultsKey(batchId), string.Join('\n', lines.Select(e => JsonSerializer.Serialize(e, BatchJsonContext.Default.BatchResultLine))) + "\n", cancellationToken);

    private static IEnumerable<string> Lines(string text) => text.Split('\n').Where(l => !string.IsNullOrWhiteSpace(l));

    private async Task PutAsync(string key, string text, CancellationToken cancellationToken) =>
        await s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = images.BucketName,
            Key = key,
            ContentBody = text,
            ContentType = "application/x-ndjson",
        }, cancellationToken).ConfigureAwait(false);

    private async Task<string> GetAsync(string bucket, string key, CancellationToken cancellationToken)
    {
        using var response = await s3.GetObjectAsync(bucket, key, cancellationToken).ConfigureAwait(false);
        using var reader = new StreamReader(response.ResponseStream, Encoding.UTF8);
        return await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
    }
}
