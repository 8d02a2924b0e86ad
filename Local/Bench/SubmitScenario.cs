using System.Diagnostics;

namespace Jobs.Local.Bench;

/// <summary>
/// 4. Submit latency: <c>POST /jobs</c> one request at a time, each followed by the bare PutItem +
/// SendMessage pair on the same emulators, so both see the same moment of a noisy machine; first
/// with the consumer paused, then with it running the jobs (L = 0).
/// </summary>
internal sealed class SubmitScenario : BenchScenario
{
    private const int WarmUp = 20;

    public override string Name => "submit";

    public override string Title => "Submit latency (POST /jobs against PutItem + SendMessage)";

    public override async Task<IReadOnlyList<BenchMeasure>> RunAsync(BenchOptions options, IProgress<string> progress, CancellationToken cancellationToken)
    {
        var count = options.Jobs(200, least: 10);
        await using var bench = await BenchStack.StartAsync(
            stack => stack.ConfigurePace = pace => pace.DefaultQuota = pace.MaxQuota,
            progress,
            cancellationToken).ConfigureAwait(false);
        var bare = new BareJobLoop(bench.Stack);
        var measures = new List<BenchMeasure>();
        await bench.Stack.Poller.StopAsync().ConfigureAwait(false);
        measures.AddRange(await MeasureAsync(bench, bare, count, "consumer paused", cancellationToken).ConfigureAwait(false));
        bench.Stack.Poller.Start();
        measures.AddRange(await MeasureAsync(bench, bare, count, "consumer running", cancellationToken).ConfigureAwait(false));
        return measures;
    }

    private async Task<IReadOnlyList<BenchMeasure>> MeasureAsync(BenchStack bench, BareJobLoop bare, int count, string phase, CancellationToken cancellationToken)
    {
        var api = new List<double>();
        var pair = new List<double>();
        for (var i = 0; i < count + WarmUp; i++)
        {
            var started = Stopwatch.GetTimestamp();
            var (job, problem) = await bench.Api.SubmitAsync(BenchJobs.Submission(Name, i), cancellationToken).ConfigureAwait(false);
            var apiMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            _ = job ?? throw new InvalidOperationException($"Submitting failed: {problem?.Detail}");
            started = Stopwatch.GetTimestamp();
            await bare.SubmitAsync($"bare submit {i} {Guid.NewGuid():N}", cancellationToken).ConfigureAwait(false);
            var pairMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (i >= WarmUp)
            {
                api.Add(apiMs);
                pair.Add(pairMs);
            }
        }

        api.Sort();
        pair.Sort();
        const string baseline = "PutItem + SendMessage";
        return
        [
            new(Name, $"POST /jobs p50, {phase}", "ms", BenchSpread.Percentile(api, 0.5), BenchSpread.Percentile(pair, 0.5), baseline, BenchTarget.RatioAtMost(1.3, "≤ 1.3×")),
            new(Name, $"POST /jobs p99, {phase}", "ms", BenchSpread.Percentile(api, 0.99), BenchSpread.Percentile(pair, 0.99), baseline),
        ];
    }
}
