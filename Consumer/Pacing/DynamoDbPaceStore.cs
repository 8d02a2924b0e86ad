using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Jobs.Shared.Storage;

namespace Jobs.Consumer.Pacing;

/// <summary>
/// The pace of each model as one item of the jobs table (key <c>pace#&lt;model&gt;</c>), so it needs
/// no table or permission of its own; it carries no status or createdAt, so no index sees it. Every
/// change is conditional on the state the writer computed from, so concurrent consumers never
/// hand out the same slot.
/// </summary>
public sealed class DynamoDbPaceStore(IAmazonDynamoDB dynamo, JobStoreOptions options) : IPaceStore
{
    public async Task<PaceState?> GetAsync(string model, CancellationToken cancellationToken)
    {
        var response = await dynamo.GetItemAsync(new GetItemRequest
        {
            TableName = options.TableName,
            Key = Key(model),
            ConsistentRead = true,
        }, cancellationToken).ConfigureAwait(false);
        return response.Item is { Count: > 0 } item ? Read(item) : null;
    }

    public async Task<PaceWrite> TryReplaceAsync(string model, PaceState? expected, PaceState next, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(next);
        var version = (expected?.Version ?? 0) + 1;
        var values = new Dictionary<string, AttributeValue>
        {
            [":tat"] = N(next.Tat),
            [":rate"] = new() { N = next.Rate.ToString("R", CultureInfo.InvariantCulture) },
            [":throttled"] = N(next.ThrottledAt),
            [":increased"] = N(next.IncreasedAt),
            [":bulkTat"] = N(next.BulkTat),
            [":bulkLine"] = N(next.BulkLine),
            [":singlesUntil"] = N(next.SinglesUntil),
            [":ver"] = N(version),
        };
        string condition;
        if (expected is null)
        {
            condition = "attribute_not_exists(jobId)";
        }
        else if (expected.Version == 0)
        {
            // Written before items carried a version: the bucket's own fields stand for it.
            condition = "attribute_not_exists(paceRevision) AND tat = :oldTat AND rate = :oldRate";
            values[":oldTat"] = N(expected.Tat);
            values[":oldRate"] = new() { N = expected.Rate.ToString("R", CultureInfo.InvariantCulture) };
        }
        else
        {
            condition = "paceRevision = :oldVer";
            values[":oldVer"] = N(expected.Version);
        }

        try
        {
            await dynamo.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = options.TableName,
                Key = Key(model),
                UpdateExpression = "SET tat = :tat, rate = :rate, throttledAt = :throttled, increasedAt = :increased, bulkTat = :bulkTat, bulkLine = :bulkLine, singlesUntil = :singlesUntil, paceRevision = :ver",
                ConditionExpression = condition,
                ExpressionAttributeValues = values,
                ReturnValuesOnConditionCheckFailure = ReturnValuesOnConditionCheckFailure.ALL_OLD,
            }, cancellationToken).ConfigureAwait(false);
            return new PaceWrite(true, next with { Version = version });
        }
        catch (ConditionalCheckFailedException ex)
        {
            return new PaceWrite(false, ex.Item is { Count: > 0 } item ? Read(item) : null);
        }
    }

    private static Dictionary<string, AttributeValue> Key(string model) => new() { ["jobId"] = new AttributeValue("pace#" + model) };

    private static AttributeValue N(long value) => new() { N = value.ToString(CultureInfo.InvariantCulture) };

    private static PaceState Read(Dictionary<string, AttributeValue> item) => new(
        long.Parse(item["tat"].N, CultureInfo.InvariantCulture),
        double.Parse(item["rate"].N, CultureInfo.InvariantCulture),
        Long(item, "throttledAt"),
        Long(item, "increasedAt"),
        Long(item, "bulkTat"),
        Long(item, "bulkLine"),
        Long(item, "singlesUntil"),
        Long(item, "paceRevision"));

    private static long Long(Dictionary<string, AttributeValue> item, string name) =>
        item.TryGetValue(name, out var value) ? long.Parse(value.N, CultureInfo.InvariantCulture) : 0;
}
