using System.Security.Cryptography;

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

    /// <summary>
    /// The HMAC-SHA256 key that signs list cursors; every instance of the producer must share it, or
    /// a cursor from one is refused by another. Environment: <c>JOBS_CURSOR_KEY</c> (base64, at least
    /// 32 bytes; the Pulumi program generates one). Unset, a random key for this process: enough for
    /// one local stack, not for a fleet of Lambda instances.
    /// </summary>
    public byte[] CursorKey { get; set; } = RandomNumberGenerator.GetBytes(MinimumCursorKeyBytes);

    /// <summary>HMAC-SHA256's block of security: a shorter key is refused at start.</summary>
    public const int MinimumCursorKeyBytes = 32;
}
