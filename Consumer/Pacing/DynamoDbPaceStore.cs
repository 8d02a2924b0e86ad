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
        var values = new Dictionary<string, AttributeValue>
        {
            [":tat"] = N(next.Tat),
            [":rate"] = new() { N = next.Rate.ToString("R", CultureInfo.InvariantCulture) },
            [":throttled"] = N(next.ThrottledAt),
            [":increased"] = N(next.IncreasedAt),
        };
        string condition;
        if (expected is null)
        {
            condition = "attribute_not_exists(jobId)";
        }
        else
        {
            condition = "tat = :oldTat AND rate = :oldRate";
            values[":oldTat"] = N(expected.Tat);
            values[":oldRate"] = new() { N = expected.Rate.ToString("R", CultureInfo.InvariantCulture) };
        }

        try
        {
            await dynamo.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = options.TableName,
                Key = Key(model),
                UpdateExpression = "SET tat = :tat, rate = :rate, throttledAt = :throttled, increasedAt = :increased",
                ConditionExpression = condition,
                ExpressionAttributeValues = values,
                ReturnValuesOnConditionCheckFailure = ReturnValuesOnConditionCheckFailure.ALL_OLD,
            }, cancellationToken).ConfigureAwait(false);
            return new PaceWrite(true, next);
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
        item.TryGetValue("throttledAt", out var t) ? long.Parse(t.N, CultureInfo.InvariantCulture) : 0,
        item.TryGetValue("increasedAt", out var i) ? long.Parse(i.N, CultureInfo.InvariantCulture) : 0);
}
