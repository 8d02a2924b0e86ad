namespace Jobs.Shared.Queue;

/// <summary>The SQS queue that carries job ids to the consumer.</summary>
public sealed class JobQueueOptions
{
    /// <summary>The queue URL. Environment: <c>JOBS_QUEUE_URL</c>.</summary>
    public string QueueUrl { get; set; } = string.Empty;

    /// <summary>The queue batch jobs wait on, read by its own event source mapping. Environment: <c>JOBS_BULK_QUEUE_URL</c>; unset, batch jobs share the jobs queue.</summary>
    public string BulkQueueUrl { get; set; } = string.Empty;

    /// <summary>The queue a message goes to.</summary>
    public string UrlFor(JobMessage message) => message is { Bulk: true } && BulkQueueUrl.Length > 0 ? BulkQueueUrl : QueueUrl;
}
