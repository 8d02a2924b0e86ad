using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Jobs.Shared.Jobs;
using static Jobs.Shared.Storage.JobItemMapper;

namespace Jobs.Shared.Storage;

/// <summary>
/// The result cache as items of the jobs table (key <c>cache#&lt;fingerprint&gt;</c>, removed by the
/// table's TTL): no table or permission of its own, and no index sees them. The newest result wins.
/// </summary>
public sealed class DynamoDbResultCache(IAmazonDynamoDB dynamo, JobStoreOptions options, TimeProvider time) : IResultCache
{
    public async Task<CachedResult?> FindAsync(string fingerprint, CancellationToken cancellationToken)
    {
        var response = await dynamo.GetItemAsync(new GetItemRequest
        {
            TableName = options.TableName,
            Key = Key(fingerprint),
        }, cancellationToken).ConfigureAwait(false);
        if (response.Item is not { Count: > 0 } item || !item.TryGetValue("sourceJobId", out var source))
        {
            return null;
        }

        // TTL removes expired items only eventually; an expired entry may point at expired images.
        if (item.TryGetValue("expiresAt", out var expires) && long.TryParse(expires.N, System.Globalization.CultureInfo.InvariantCulture, out var at) && at <= time.GetUtcNow().ToUnixTimeSeconds())
        {
            return null;
        }

        return new CachedResult(source.S, ReadImages(item));
    }

    public async Task StoreAsync(string fingerprint, string jobId, IReadOnlyList<JobImage> images, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        await dynamo.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = options.TableName,
            Key = Key(fingerprint),
            UpdateExpression = "SET sourceJobId = :job, images = :images, expiresAt = :expires",
            ExpressionAttributeValues = new()
            {
                [":job"] = S(jobId),
                [":images"] = ToAttribute(images),
                [":expires"] = N(expiresAt.ToUnixTimeSeconds()),
            },
        }, cancellationToken).ConfigureAwait(false);
    }

    private static Dictionary<string, AttributeValue> Key(string fingerprint) => new() { ["jobId"] = S("cache#" + fingerprint) };
}
