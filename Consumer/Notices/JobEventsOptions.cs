namespace Jobs.Consumer.Notices;

/// <summary>Where job notices are published.</summary>
public sealed class JobEventsOptions
{
    /// <summary>The SNS topic ARN. Environment: <c>JOBS_TOPIC_ARN</c>.</summary>
    public string TopicArn { get; set; } = string.Empty;
}
