namespace Jobs.Local.Hosting;

/// <summary>
/// The local ARNs of what the functions use, as recorded calls name them: the IAM coverage test maps
/// each to the resource the Pulumi program makes for the same purpose.
/// </summary>
public sealed record LocalResources(string TableArn, string QueueArn, string BulkQueueArn, string DeadLetterQueueArn, string BucketArn, string TopicArn, string UploadsBucketArn);
