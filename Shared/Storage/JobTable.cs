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
    public const string ListingIndexName = "listed-ownerCreated";

    /// <summary>The index's partition key attribute.</summary>
    public const string ListedAs = "listedAs";

    /// <summary>Where queued and running jobs are listed, and finished ones until their notice is sent.</summary>
    public const string Active = "active";

    /// <summary>The index's sort key: the owner's key, then the creation time, so one owner's jobs are one range, newest last.</summary>
    public const string OwnerCreated = "ownerCreated";

    /// <summary>The owner of jobs whose caller no authorizer named.</summary>
    public const string AnonymousOwner = "anonymous";

    /// <summary>The attributes the index carries beside its keys: what the reconciler's filters read.</summary>
    public static IReadOnlyList<string> Projected { get; } = ["dueAt", "completedAt", "notifiedAt"];

    /// <summary>The index partition a job in <paramref name="status"/> is listed under once its notice is sent.</summary>
    public static string ListingOf(JobStatus status) => status.IsTerminal() ? status.ToName() : Active;

    /// <summary>
    /// Where the job is listed now: a finished job whose notice is still to be sent stays with the
    /// active ones, so the reconciler finds everything it may have to repair in one partition.
    /// </summary>
    public static string ListingOf(Job job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return job.Status.IsTerminal() && job.NotifiedAt is null ? Active : ListingOf(job.Status);
    }

    /// <summary>
    /// A fixed-length key for an owner (SHA-256, 32 hex digits): no owner's name can be the prefix
    /// of another's, whatever characters it holds.
    /// </summary>
    public static string OwnerKey(string owner) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(owner)))[..32];

    /// <summary>The index sort key of a job: <c>&lt;owner key&gt;#&lt;createdAt&gt;</c>.</summary>
    public static string OwnerCreatedOf(string owner, DateTimeOffset createdAt) => OwnerKey(owner) + "#" + JobItemMapper.Timestamp(createdAt);

    public static CreateTableRequest Definition(string tableName) => new()
    {
        TableName = tableName,
        BillingMode = BillingMode.PAY_PER_REQUEST,
        AttributeDefinitions =
        [
            new AttributeDefinition("jobId", ScalarAttributeType.S),
            new AttributeDefinition(ListedAs, ScalarAttributeType.S),
            new AttributeDefinition(OwnerCreated, ScalarAttributeType.S),
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
                    new KeySchemaElement(OwnerCreated, KeyType.RANGE),
                ],
                Projection = new Projection { ProjectionType = ProjectionType.INCLUDE, NonKeyAttributes = [.. Projected] },
            },
        ],
    };
}
