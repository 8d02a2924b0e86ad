using System.Text.Json.Nodes;
using Jobs.Consumer.Metrics;
using Microsoft.Extensions.Time.Testing;

namespace Jobs.Tests.Consumer;

/// <summary>The metric lines follow CloudWatch's Embedded Metric Format, which the alarms depend on.</summary>
public sealed class JobMetricsTests
{
    [Test]
    public void A_count_is_one_EMF_line_with_namespace_dimension_and_value()
    {
        using var output = new StringWriter();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero));
        var metrics = new JobMetrics(output, time, "consumer");

        metrics.Count(JobMetrics.JobFailed, "stability.stable-image-core-v1:1", "content_filtered");

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var record = JsonNode.Parse(lines.Single())!;
        var directive = record["_aws"]!["CloudWatchMetrics"]![0]!;
        Assert.That(record["_aws"]!["Timestamp"]!.GetValue<long>(), Is.EqualTo(time.GetUtcNow().ToUnixTimeMilliseconds()));
        Assert.That(directive["Namespace"]!.GetValue<string>(), Is.EqualTo("Jobs"));
        Assert.That(directive["Dimensions"]!.ToJsonString(), Is.EqualTo("[[\"Service\"],[\"Service\",\"Model\"]]"), "by service for the alarms, by model for the dashboard");
        Assert.That(directive["Metrics"]!.ToJsonString(), Is.EqualTo("[{\"Name\":\"JobFailed\",\"Unit\":\"Count\"}]"));
        Assert.That(record["Service"]!.GetValue<string>(), Is.EqualTo("consumer"));
        Assert.That(record["Model"]!.GetValue<string>(), Is.EqualTo("stability.stable-image-core-v1:1"));
        Assert.That(record["JobFailed"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That(record["errorCode"]!.GetValue<string>(), Is.EqualTo("content_filtered"));
    }

    [Test]
    public void A_measured_value_is_in_milliseconds()
    {
        using var output = new StringWriter();
        var metrics = new JobMetrics(output, new FakeTimeProvider(), "consumer");

        metrics.Measure(JobMetrics.PaceWaitMs, "stability.sd3-5-large-v1:0", 1250.5);

        var record = JsonNode.Parse(output.ToString())!;
        Assert.That(record["_aws"]!["CloudWatchMetrics"]![0]!["Metrics"]!.ToJsonString(), Is.EqualTo("[{\"Name\":\"PaceWaitMs\",\"Unit\":\"Milliseconds\"}]"));
        Assert.That(record["PaceWaitMs"]!.GetValue<double>(), Is.EqualTo(1250.5));
    }
}
