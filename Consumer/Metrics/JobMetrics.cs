using System.Text;
using System.Text.Json;

namespace Jobs.Consumer.Metrics;

/// <summary>
/// What happens to jobs, as CloudWatch Embedded Metric Format lines on stdout: Lambda ships them
/// to CloudWatch Logs, which turns them into metrics (namespace <c>Jobs</c>) without a
/// PutMetricData call on the hot path. Each metric is recorded by service, and by service and
/// model, so alarms watch the whole and dashboards show each model's pace.
/// </summary>
public sealed class JobMetrics(TextWriter output, TimeProvider time, string service)
{
    public const string Namespace = "Jobs";
    public const string JobSucceeded = "JobSucceeded";
    public const string JobFailed = "JobFailed";
    public const string JobDeferred = "JobDeferred";

    /// <summary>Bedrock calls that answered with images (paid generations).</summary>
    public const string BedrockCalls = "BedrockCalls";

    /// <summary>Bedrock calls answered with ThrottlingException: the pace let through more than the quota.</summary>
    public const string BedrockThrottled = "BedrockThrottled";

    /// <summary>How long a job was sent to wait for its slot in the model's pace, in milliseconds.</summary>
    public const string PaceWaitMs = "PaceWaitMs";

    /// <summary>
    /// How old a job was when a worker claimed it, in milliseconds: the queue's wait as the job
    /// sees it, across deferrals (each of which is a fresh SQS message, so SQS's own age resets).
    /// </summary>
    public const string QueuedAgeMs = "QueuedAgeMs";

    /// <summary>From submission to success, in milliseconds (the dashboard shows its p95).</summary>
    public const string SubmitToCompleteMs = "SubmitToCompleteMs";

    private readonly Lock _gate = new();

    /// <summary>Counts one <paramref name="metric"/>; the error code rides along as a searchable property.</summary>
    public void Count(string metric, string model, string? errorCode = null) => Write(metric, "Count", 1, model, errorCode);

    /// <summary>Records one value of <paramref name="metric"/> in milliseconds.</summary>
    public void Measure(string metric, string model, double milliseconds) => Write(metric, "Milliseconds", milliseconds, model, null);

    private void Write(string metric, string unit, double value, string model, string? errorCode)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartObject("_aws");
            json.WriteNumber("Timestamp", time.GetUtcNow().ToUnixTimeMilliseconds());
            json.WriteStartArray("CloudWatchMetrics");
            json.WriteStartObject();
            json.WriteString("Namespace", Namespace);
            json.WriteStartArray("Dimensions");
            json.WriteStartArray();
            json.WriteStringValue("Service");
            json.WriteEndArray();
            json.WriteStartArray();
            json.WriteStringValue("Service");
            json.WriteStringValue("Model");
            json.WriteEndArray();
            json.WriteEndArray();
            json.WriteStartArray("Metrics");
            json.WriteStartObject();
            json.WriteString("Name", metric);
            json.WriteString("Unit", unit);
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteString("Service", service);
            json.WriteString("Model", model);
            json.WriteNumber(metric, value);
            if (errorCode is not null)
            {
                json.WriteString("errorCode", errorCode);
            }

            json.WriteEndObject();
        }

        var line = Encoding.UTF8.GetString(buffer.ToArray());
        lock (_gate)
        {
            output.WriteLine(line);
            output.Flush();
        }
    }
}
