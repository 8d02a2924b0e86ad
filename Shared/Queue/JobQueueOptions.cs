namespace Jobs.Shared.Queue;

/// <summary>The SQS queue that carries job ids to the consumer.</summary>
public sealed class JobQueueOptions
{
    /// <summary>The queue URL. Environment: <c>JOBS_QUEUE_URL</c>.</summary>
    public string QueueUrl { get; set; } = string.Empty;
}
