using System.Text.Json;
using Jobs.Local.Bench;

namespace Jobs.Tests.Bench;

/// <summary>
/// The benchmark command keeps working: two of its scenarios at a small scale through the same
/// runner <c>dotnet run --project Local -- bench</c> uses. Its speeds are not judged here (they
/// belong in BENCHMARKS.md, measured on a quiet machine); what it counted must be true.
/// </summary>
public sealed class BenchTests
{
    [Test]
    [CancelAfter(10 * 60 * 1000)]
    public async Task The_submit_and_overhead_scenarios_measure_every_job_against_a_baseline_of_the_same_run(CancellationToken cancellationToken)
    {
        var json = Path.Combine(TestContext.CurrentContext.WorkDirectory, "bench", $"bench-{Guid.NewGuid():N}.json");
        var options = new BenchOptions { Scenarios = ["submit", "overhead"], Runs = 1, Scale = 0.05, JsonPath = json };
        // The run's own stack, if a test started it, must keep its endpoints once the benchmark's stacks stop.
        var endpoint = Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL_DYNAMODB");

        var report = await new BenchRunner(options, new Progress<string>(line => TestContext.Progress.WriteLine(line))).RunAsync(cancellationToken);
        Assert.That(Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL_DYNAMODB"), Is.EqualTo(endpoint), "a stopped stack puts the environment back");
        Directory.CreateDirectory(Path.GetDirectoryName(json)!);
        await File.WriteAllTextAsync(json, report.ToJson(), cancellationToken);

        var overhead = report.Figures.Where(f => f.Scenario == "overhead").ToList();
        Assert.That(overhead.Single(f => f.Figure == "jobs succeeded").Met, Is.True, "every job of the scenario succeeded");
        var throughput = overhead.Single(f => f.Figure.StartsWith("jobs per second", StringComparison.Ordinal));
        Assert.That(throughput.Value.Median, Is.GreaterThan(0));
        Assert.That(throughput.Baseline!.Median, Is.GreaterThan(0), "the bare loop ran its jobs too");
        Assert.That(throughput.Ratio!.Median, Is.EqualTo(throughput.Value.Median / throughput.Baseline.Median).Within(1e-9));

        var submit = report.Figures.Where(f => f.Scenario == "submit" && f.Figure.Contains("p50", StringComparison.Ordinal)).ToList();
        Assert.That(submit, Has.Count.EqualTo(2), "p50 with the consumer paused and running");
        Assert.That(submit.Select(f => f.Baseline?.Median ?? 0), Is.All.GreaterThan(0));
        Assert.That(submit.Select(f => f.Target), Is.All.Not.Null);

        using var written = JsonDocument.Parse(await File.ReadAllTextAsync(json, cancellationToken));
        Assert.That(written.RootElement.GetProperty("figures").GetArrayLength(), Is.EqualTo(report.Figures.Count));
        Assert.That(written.RootElement.GetProperty("machine").GetString(), Is.Not.Empty);
    }

    [Test]
    public void A_figure_over_runs_is_their_median_with_the_spread_and_the_ratio_of_each_run()
    {
        var target = BenchTarget.RatioAtMost(2.5, "≤ 2.5×");
        BenchMeasure[] runs =
        [
            new("s", "f", "ms", 30, 10, Target: target),
            new("s", "f", "ms", 10, 10, Target: target),
            new("s", "f", "ms", 24, 8, Target: target),
        ];

        var figure = BenchSummary.Of(runs).Single();

        Assert.That(figure.Value, Is.EqualTo(new BenchSpread(24, 10, 30, 3)));
        Assert.That(figure.Ratio, Is.EqualTo(new BenchSpread(3, 1, 3, 3)), "each run's own ratio: 3, 1, 3");
        Assert.That(figure.Met, Is.False, "the median ratio 3 is above 2.5");
    }
}
