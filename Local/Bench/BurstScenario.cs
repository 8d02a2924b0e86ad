using Jobs.Local.Hosting;
using Jobs.Shared.Jobs;
using Jobs.Shared.Models;

namespace Jobs.Local.Bench;

/// <summary>
/// 1. A burst far above the quota: N jobs at once against Q requests a minute (the fake Bedrock's
/// token bucket, refilled continuously, one minute's quota deep) at L = 200 ms. How close does the
/// drain come to N ÷ Q, how many calls are throttled, does anything fail? Baseline: the same run
/// with the pace off (a throttle is deferred with a growing delay instead).
/// </summary>
internal sealed class BurstScenario : BenchScenario
{
    private const int QuotaPerMinute = 60;

    public override string Name => "burst";

    public override string Title => "Burst against a quota (Q = 60/min, L = 200 ms)";

    public override async Task<IReadOnlyList<BenchMeasure>> RunAsync(BenchOptions options, IProgress<string> progress, CancellationToken cancellationToken)
    {
        var count = options.Jobs(600, least: 20);
        var ideal = TimeSpan.FromMinutes((double)count / QuotaPerMinute);
        progress.Report($"burst: {count} jobs, paced (ideal drain {ideal.TotalMinutes:0.#} min)");
        var paced = await DrainAsync(count, paced: true, ideal, progress, cancellationToken).ConfigureAwait(false);
        progress.Report($"burst: {count} jobs, pace off (baseline)");
        var unpaced = await DrainAsync(count, paced: false, ideal, progress, cancellationToken).ConfigureAwait(false);
        const string baseline = "pace off";
        return
        [
            new(Name, "drain time ÷ (N ÷ Q)", "×", paced.Drain / ideal, unpaced.Drain / ideal, baseline, BenchTarget.ValueAtMost(1.1, "≤ 1.1× ideal")),
            new(Name, "Bedrock calls throttled", "share", paced.ThrottledShare, unpaced.ThrottledShare, baseline, BenchTarget.ValueAtMost(0.05, "≤ 5 %")),
            new(Name, "jobs failed or dead-lettered", "jobs", paced.Failed, unpaced.Failed, baseline, BenchTarget.ValueAtMost(0, "0")),
            new(Name, "jobs unfinished at the cut-off (2× ideal + 2 min)", "jobs", paced.Unfinished, unpaced.Unfinished, baseline, BenchTarget.ValueAtMost(0, "0")),
            new(Name, "Bedrock calls per job", "calls", paced.Calls / (double)count, unpaced.Calls / (double)count, baseline),
        ];
    }

    private static async Task<Drained> DrainAsync(int count, bool paced, TimeSpan ideal, IProgress<string> progress, CancellationToken cancellationToken)
    {
        await using var bench = await BenchStack.StartAsync(
            options =>
            {
                options.Bedrock.LatencyMin = options.Bedrock.LatencyMax = TimeSpan.FromMilliseconds(200);
                options.Bedrock.RequestsPerMinute = QuotaPerMinute;
                // Left at its defaults otherwise: the pace starts every model at 60 requests a minute.
                options.ConfigurePace = pace => pace.Enabled = paced;
            },
            progress,
            cancellationToken).ConfigureAwait(false);
        var started = DateTimeOffset.UtcNow;
        var (ids, _) = await BenchJobs.SubmitAsync(bench, "burst", count, parallel: 16, cancellationToken).ConfigureAwait(false);
        var cutOff = (2 * ideal) + TimeSpan.FromMinutes(2);
        await BenchJobs.WaitForFinalAsync(bench.Stack, count, cutOff - (DateTimeOffset.UtcNow - started), cancellationToken).ConfigureAwait(false);
        var jobs = await BenchJobs.ReadAsync(bench.Stack, ids, cancellationToken).ConfigureAwait(false);
        var stats = bench.Stack.Bedrock.StatsFor(ModelCatalog.Default.DefaultModelId);
        var unfinished = jobs.Count(j => !j.Status.IsTerminal());
        // An unfinished job drains at the cut-off at the earliest: the baseline's figure is then a lower bound.
        var last = unfinished > 0 ? started + cutOff : jobs.Max(j => j.CompletedAt!.Value);
        return new Drained(
            last - started,
            stats.Calls == 0 ? 0 : stats.Throttled / (double)stats.Calls,
            jobs.Count(j => j.Status == JobStatus.Failed),
            unfinished,
            stats.Calls);
    }

    private sealed record Drained(TimeSpan Drain, double ThrottledShare, int Failed, int Unfinished, int Calls);
}
