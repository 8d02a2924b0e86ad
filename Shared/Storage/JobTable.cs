using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Jobs.Shared.Jobs;

namespace Jobs.Shared.Storage;

/// <summary>
/// The jobs table's shape, in one place for the local stack to create and for readers to check
/// against the Pulumi program, which declares the same keys and index.
/// </summary>
/// <remarks>
/// The listing index is keyed on <c>listedAs</c>, not on <c>status</c>: queued and running jobs
/// share the <c>active</c> partition, so a claim moves nothing in the index, and it projects only
/// what the reconciler filters on, which no claim touches either. A job then costs the index one
/// put when it is submitted and one move when it finishes; listing reads the page's items back by
/// key, which is cheaper than writing every attribute to the index on every write.
/// </remarks>
public static class JobTable
{
    public const string ListingIndexName = "listed-createdAt";

    /// <summary>The index's partition key attribute.</summary>
    public const string ListedAs = "listedAs";

    /// <summary>Where queued and running jobs are listed.</summary>
    public const string Active = "active";

    /// <summary>The attributes the index carries beside its keys: what the reconciler's filters read.</summary>
    public static IReadOnlyList<string> Projected { get; } = ["dueAt", "completedAt", "notifiedAt"];

    /// <summary>The index partition a job in <paramref name="status"/> is listed under.</summary>
    public static string ListingOf(JobStatus status) => status.IsTerminal() ? status.ToName() : Active;

    public static CreateTableRequest Definition(string tableName) => new()
    {
        TableName = tableName,
        BillingMode = BillingMode.PAY_PER_REQUEST,
        AttributeDefinitions =
        [
            new AttributeDefinition("jobId", ScalarAttributeType.S),
            new AttributeDefinition(ListedAs, ScalarAttributeType.S),
            new AttributeDefinition("createdAt", ScalarAttributeType.S),
        ],
        KeySchema = [new KeySchemaElement("jobId", KeyType.HASH)],
        // A low-cardinality partition key is a hot-partition risk at high write rates. Here every
        // write is bounded by Bedrock's image quota (a few requests a second at most), far below
        // the 1,000 writes/s one partition takes, so the simple index that answers "newest failed
        // jobs" in one Query is the right trade.
        GlobalSecondaryIndexes =
        [
            new GlobalSecondaryIndex
            {
                IndexName = ListingIndexName,
                KeySchema =
                [
                    new KeySchemaElement(ListedAs, KeyType.HASH),
                    new KeySchemaElement("createdAt", KeyType.RANGE),
                ],
                Projection = new Projection { ProjectionType = ProjectionType.INCLUDE, NonKeyAttributes = [.. Projected] },
            },
        ],
    };
}
