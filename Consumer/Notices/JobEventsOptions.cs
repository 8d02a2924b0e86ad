namespace Jobs.Consumer.Notices;

/// <summary>Where job notices are published.</summary>
public sealed class JobEventsOptions
{
    /// <summary>The SNS topic ARN. Environment: <c>JOBS_TOPIC_ARN</c>.</summary>
    public string TopicArn { get; set; } = string.Empty;

    /// <summary>The API's base URL, for the job's link in email notices; none, no link. Environment: <c>JOBS_API_URL</c>.</summary>
    public Uri? ApiUrl { get; set; }
}
