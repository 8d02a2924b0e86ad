using System.Text;
using System.Text.Json;

namespace Jobs.Consumer.Metrics;

/// <summary>
/// Counts what happens to jobs as CloudWatch Embedded Metric Format lines on stdout: Lambda ships
/// them to CloudWatch Logs, which turns them into metrics (namespace <c>Jobs</c>, dimension
/// <c>Service</c>) without a PutMetricData call on the hot path. The alarms on job failures and
/// Bedrock throttling read these.
/// </summary>
public sealed class JobMetrics(TextWriter output, TimeProvider time, string service)
{
    public const string Namespace = "Jobs";
    public const string JobSucceeded = "JobSucceeded";
    public const string JobFailed = "JobFailed";
    public const string JobDeferred = "JobDeferred";
    public const string BedrockThrottled = "BedrockThrottled";

    private readonly Lock _gate = new();

    /// <summary>Writes one EMF record counting <paramref name="metric"/>; the model and error code ride along as searchable properties.</summary>
    public void Count(string metric, string model, string? errorCode = null)
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
            json.WriteEndArray();
            json.WriteStartArray("Metrics");
            json.WriteStartObject();
            json.WriteString("Name", metric);
            json.WriteString("Unit", "Count");
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteString("Service", service);
            json.WriteNumber(metric, 1);
            json.WriteString("model", model);
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
