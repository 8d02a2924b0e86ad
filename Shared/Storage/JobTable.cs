using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace Jobs.Shared.Storage;

/// <summary>
/// The jobs table's shape, in one place for the local stack to create and for readers to check
/// against the Pulumi program, which declares the same keys and index.
/// </summary>
public static class JobTable
{
    public const string StatusIndexName = "status-createdAt";

    public static CreateTableRequest Definition(string tableName) => new()
    {
        TableName = tableName,
        BillingMode = BillingMode.PAY_PER_REQUEST,
        AttributeDefinitions =
        [
            new AttributeDefinition("jobId", ScalarAttributeType.S),
            new AttributeDefinition("status", ScalarAttributeType.S),
            new AttributeDefinition("createdAt", ScalarAttributeType.S),
        ],
        KeySchema = [new KeySchemaElement("jobId", KeyType.HASH)],
        // Status is a low-cardinality partition key, which would be a hot-partition risk at high
        // write rates. Here every write is bounded by Bedrock's image quota (a few requests a
        // second at most), far below the 1,000 writes/s one partition takes, so the simple index
        // that answers "newest failed jobs" in one Query is the right trade.
        GlobalSecondaryIndexes =
        [
            new GlobalSecondaryIndex
            {
                IndexName = StatusIndexName,
                KeySchema =
                [
                    new KeySchemaElement("status", KeyType.HASH),
                    new KeySchemaElement("createdAt", KeyType.RANGE),
                ],
                Projection = new Projection { ProjectionType = ProjectionType.ALL },
            },
        ],
    };
}
