using System.Globalization;
using Jobs.Consumer.Bedrock;
using Jobs.Consumer.Notices;
using Jobs.Consumer.Pacing;
using Jobs.Shared.Configuration;

namespace Jobs.Consumer;

/// <summary>
/// The consumer's own settings (how it works through batches, how it calls Bedrock, where notices
/// go), read once from the environment and validated together with the shared ones, so a
/// misconfigured consumer fails its start with the whole list instead of misbehaving later: without
/// its dead-letter queue's ARN, for one, it would take dead letters for new work.
/// </summary>
public sealed class ConsumerSettings
{
    private readonly List<string> _unreadable = [];

    public ConsumerOptions Consumer { get; } = new();

    public BedrockOptions Bedrock { get; } = new();

    public JobEventsOptions Events { get; } = new();

    public PaceOptions Pace { get; } = new();

    public static ConsumerSettings FromEnvironment(Func<string, string?> environment)
    {
        var read = new SettingsReader(environment);
        var settings = new ConsumerSettings();
        var options = settings.Consumer;
        options.MaxConcurrency = read.Int("JOBS_CONSUMER_CONCURRENCY") ?? options.MaxConcurrency;
        options.MaxAttempts = read.Int("JOBS_MAX_ATTEMPTS") ?? options.MaxAttempts;
        if (read.Number("JOBS_MINIMUM_ATTEMPT_SECONDS") is { } minimum)
        {
            options.MinimumAttemptBudget = TimeSpan.FromSeconds(minimum);
        }

        if (read.Number("JOBS_RESULT_CACHE_DAYS") is { } cacheDays)
        {
            options.ResultCacheLifetime = TimeSpan.FromDays(cacheDays);
        }

        if (read.Int("JOBS_RECONCILE_MARGIN_SECONDS") is { } margin)
        {
            options.ReconcileMargin = TimeSpan.FromSeconds(margin);
        }

        if (read.Number("JOBS_JOB_DEADLINE_HOURS") is { } hours)
        {
            options.JobDeadline = TimeSpan.FromHours(hours);
        }

        options.DeadLetterQueueArn = read.Text("JOBS_DEAD_LETTER_QUEUE_ARN");
        settings.Events.TopicArn = read.Text("JOBS_TOPIC_ARN") ?? string.Empty;
        settings.Events.ApiUrl = Uri.TryCreate(read.Text("JOBS_API_URL"), UriKind.Absolute, out var api) ? api : null;
        ReadPace(read, settings.Pace, settings._unreadable);
        settings.Bedrock.GuardrailIdentifier = read.Text("JOBS_GUARDRAIL_ID");
        settings.Bedrock.GuardrailVersion = read.Text("JOBS_GUARDRAIL_VERSION");
        settings._unreadable.AddRange(read.Problems);
        return settings;
    }

    /// <summary>Every missing or invalid setting, each naming its environment variable; empty when all is well.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>(_unreadable);
        var options = Consumer;
        if (!IsArn(options.DeadLetterQueueArn, "sqs"))
        {
            problems.Add("JOBS_DEAD_LETTER_QUEUE_ARN is not set to an SQS queue ARN: the dead-letter queue whose records fail their jobs (without it they would be taken for new work).");
        }

        if (!IsArn(Events.TopicArn, "sns"))
        {
            problems.Add("JOBS_TOPIC_ARN is not set to an SNS topic ARN: the job-events topic.");
        }

        // A batch holds at most 10 records (the SQS event source mapping's limit).
        if (options.MaxConcurrency is < 1 or > 10)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"JOBS_CONSUMER_CONCURRENCY must be 1-10 (it is {options.MaxConcurrency})."));
        }

        if (options.MaxAttempts is < 1 or > 100)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"JOBS_MAX_ATTEMPTS must be 1-100 (it is {options.MaxAttempts})."));
        }

        if (options.ReconcileMargin < TimeSpan.FromSeconds(10))
        {
            problems.Add("JOBS_RECONCILE_MARGIN_SECONDS must be at least 10: a message waiting its turn must not be sent twice.");
        }

        if (options.MinimumAttemptBudget < TimeSpan.Zero)
        {
            problems.Add("JOBS_MINIMUM_ATTEMPT_SECONDS must not be negative.");
        }

        if (Pace.DefaultQuota <= 0 || Pace.BurstSeconds < 0)
        {
            problems.Add("JOBS_DEFAULT_MODEL_QUOTA must be a positive rate and JOBS_PACE_BURST_SECONDS not negative.");
        }

        if (options.JobDeadline <= TimeSpan.Zero)
        {
            problems.Add("JOBS_JOB_DEADLINE_HOURS must be a positive number of hours.");
        }

        if (Bedrock.GuardrailIdentifier is null != Bedrock.GuardrailVersion is null)
        {
            problems.Add("JOBS_GUARDRAIL_ID and JOBS_GUARDRAIL_VERSION go together.");
        }

        // Bedrock's guardrail version is a number 1-99999999 or DRAFT.
        if (Bedrock.GuardrailVersion is { } version && version != "DRAFT" &&
            !(int.TryParse(version, CultureInfo.InvariantCulture, out var v) && v is >= 1 and <= 99_999_999))
        {
            problems.Add("JOBS_GUARDRAIL_VERSION must be a positive version number or DRAFT.");
        }

        return problems;
    }

    private static void ReadPace(SettingsReader read, PaceOptions pace, List<string> problems)
    {
        pace.Enabled = read.Text("JOBS_PACING") is not { } pacing || !pacing.Equals("off", StringComparison.OrdinalIgnoreCase);
        pace.DefaultQuota = read.Number("JOBS_DEFAULT_MODEL_QUOTA") ?? pace.DefaultQuota;
        pace.BurstSeconds = read.Number("JOBS_PACE_BURST_SECONDS") ?? pace.BurstSeconds;
        pace.BulkHorizon = read.Number("JOBS_BULK_HORIZON_SECONDS") is { } horizon ? TimeSpan.FromSeconds(horizon) : pace.BulkHorizon;
        pace.BulkShare = read.Number("JOBS_BULK_SHARE") ?? pace.BulkShare;
        if (pace.BulkShare is < 0 or > 0.9)
        {
            problems.Add("JOBS_BULK_SHARE must be a fraction from 0 to 0.9.");
        }

        foreach (var entry in (read.Text("JOBS_MODEL_QUOTAS") ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            // Model ids hold ':' but never '=', so the last '=' splits id from rate.
            var split = entry.LastIndexOf('=');
            if (split <= 0 || !double.TryParse(entry[(split + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var rate) || rate <= 0)
            {
                problems.Add($"JOBS_MODEL_QUOTAS entry '{entry}' must be <model id>=<requests per minute>.");
                continue;
            }

            pace.Quotas[entry[..split]] = rate;
        }
    }

    private static bool IsArn(string? value, string service) =>
        value is not null && value.StartsWith("arn:", StringComparison.Ordinal) && value.Split(':') is { Length: >= 6 } parts && parts[2] == service;
}
