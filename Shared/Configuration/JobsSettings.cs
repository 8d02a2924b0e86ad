using System.Globalization;
using Jobs.Shared.Bedrock;
using Jobs.Shared.Images;
using Jobs.Shared.Notices;
using Jobs.Shared.Queue;
using Jobs.Shared.Storage;

namespace Jobs.Shared.Configuration;

/// <summary>
/// Every setting of the service, read once from the environment (the Lambda configuration) and
/// validated together, so a misconfigured function fails at start with the whole list of problems.
/// </summary>
public sealed class JobsSettings
{
    public JobStoreOptions Store { get; } = new();
    public JobQueueOptions Queue { get; } = new();
    public ImageStoreOptions Images { get; } = new();
    public JobEventsOptions Events { get; } = new();
    public BedrockOptions Bedrock { get; } = new();

    public static JobsSettings FromEnvironment(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var settings = new JobsSettings();
        settings.Store.TableName = environment("JOBS_TABLE_NAME") ?? string.Empty;
        settings.Queue.QueueUrl = environment("JOBS_QUEUE_URL") ?? string.Empty;
        settings.Images.BucketName = environment("JOBS_BUCKET") ?? string.Empty;
        settings.Images.ForcePathStyle = string.Equals(environment("JOBS_S3_FORCE_PATH_STYLE"), "true", StringComparison.OrdinalIgnoreCase);
        settings.Events.TopicArn = environment("JOBS_TOPIC_ARN") ?? string.Empty;
        settings.Bedrock.GuardrailIdentifier = environment("JOBS_GUARDRAIL_ID");
        settings.Bedrock.GuardrailVersion = environment("JOBS_GUARDRAIL_VERSION");
        if (environment("JOBS_JOB_RETENTION_DAYS") is { } days && int.TryParse(days, CultureInfo.InvariantCulture, out var d))
        {
            settings.Store.Retention = TimeSpan.FromDays(d);
        }

        return settings;
    }

    /// <summary>Every missing or invalid setting, each naming its environment variable; empty when all is well.</summary>
    public IReadOnlyList<string> Problems(bool needsQueue, bool needsTopic)
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(Store.TableName))
        {
            problems.Add("JOBS_TABLE_NAME is not set: the DynamoDB jobs table.");
        }

        if (string.IsNullOrWhiteSpace(Images.BucketName))
        {
            problems.Add("JOBS_BUCKET is not set: the S3 images bucket.");
        }

        if (needsQueue && !Uri.TryCreate(Queue.QueueUrl, UriKind.Absolute, out _))
        {
            problems.Add("JOBS_QUEUE_URL is not set to a URL: the SQS jobs queue.");
        }

        if (needsTopic && !Events.TopicArn.StartsWith("arn:", StringComparison.Ordinal))
        {
            problems.Add("JOBS_TOPIC_ARN is not set to an ARN: the SNS job-events topic.");
        }

        if (Store.Retention <= TimeSpan.Zero)
        {
            problems.Add("JOBS_JOB_RETENTION_DAYS must be a positive number of days.");
        }

        // Bedrock's guardrail version is a number 1-99999999 or DRAFT.
        if (Bedrock.GuardrailVersion is { } version && version != "DRAFT" &&
            !(int.TryParse(version, CultureInfo.InvariantCulture, out var v) && v is >= 1 and <= 99_999_999))
        {
            problems.Add("JOBS_GUARDRAIL_VERSION must be a positive version number or DRAFT.");
        }

        return problems;
    }
}
