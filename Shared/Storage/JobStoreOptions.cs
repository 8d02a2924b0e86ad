namespace Jobs.Shared.Storage;

/// <summary>Where jobs live in DynamoDB and how long they are kept.</summary>
public sealed class JobStoreOptions
{
    /// <summary>The jobs table (partition key <c>jobId</c>). Environment: <c>JOBS_TABLE_NAME</c>.</summary>
    public string TableName { get; set; } = "jobs";

    /// <summary>The global secondary index on <c>listedAs</c> and <c>createdAt</c> (see <see cref="JobTable"/>).</summary>
    public string ListingIndexName { get; set; } = JobTable.ListingIndexName;

    /// <summary>How long a job item is kept before DynamoDB's TTL removes it. Default 30 days.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(30);
}
