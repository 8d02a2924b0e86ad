using System.Diagnostics;
using System.Text;
using Jobs.Consumer.Bedrock;
using Jobs.Shared.Models;
using Microsoft.Extensions.DependencyInjection;

namespace Jobs.Local.Bench;

/// <summary>
/// 2. Bedrock-bound efficiency: N jobs queued, then the consumer started, at a fixed L = 1 s and no
/// quota. Ideal is N × L ÷ calls in flight (the mappings' invocations × the batch size); measured is
/// from the consumer's start to the last completion. Beside it, each job's bare AWS calls made by a
/// plain loop with as many jobs at once, and the N Bedrock calls alone: on this machine the
/// emulators' and the fake's own time is part of every round, which N × L ÷ calls in flight leaves out.
/// </summary>
internal sealed class EfficiencyScenario : BenchScenario
{
    private static readonly TimeSpan Latency = TimeSpan.FromSeconds(1);

    public override string Name => "efficiency";

    public override string Title => "Bedrock-bound efficiency (L = 1 s, N = 60)";

    public override async Task<IReadOnlyList<BenchMeasure>> RunAsync(BenchOptions options, IProgress<string> progress, CancellationToken cancellationToken)
    {
        var count = options.Jobs(60);
        await using var bench = await BenchStack.StartAsync(
            stack =>
            {
                stack.Bedrock.LatencyMin = stack.Bedrock.LatencyMax = Latency;
                // No quota here: the pace is told so (the most it ever tries), as an operator would.
                stack.ConfigurePace = pace => pace.DefaultQuota = pace.MaxQuota;
            },
            progress,
            cancellationToken).ConfigureAwait(false);
        var stack = bench.Stack;
        var inFlight = stack.Options.Poller.Concurrency * stack.Options.Poller.BatchSize;
        await stack.Poller.StopAsync().ConfigureAwait(false);
        var (ids, _) = await BenchJobs.SubmitAsync(bench, Name, count, parallel: 8, cancellationToken).ConfigureAwait(false);

        var started = DateTimeOffset.UtcNow;
        stack.Poller.Start();
        await BenchJobs.WaitForFinalAsync(stack, count, TimeSpan.FromMinutes(5), cancellationToken).ConfigureAwait(false);
        var jobs = await BenchJobs.ReadAsync(stack, ids, cancellationToken).ConfigureAwait(false);
        var measured = (jobs.Max(j => j.CompletedAt ?? DateTimeOffset.UtcNow) - started).TotalSeconds;
        var ideal = count * Latency.TotalSeconds / inFlight;
        var bedrock = stack.ConsumerServices.GetRequiredService<IBedrockRuntime>();
        var plain = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = inFlight, CancellationToken = cancellationToken }, async (i, token) =>
            await bedrock.InvokeModelAsync(ModelCatalog.Default.DefaultModelId, Encoding.UTF8.GetBytes($"{{\"prompt\":\"plain {i}\",\"seed\":{i},\"output_format\":\"png\"}}"), token).ConfigureAwait(false)).ConfigureAwait(false);
        var plainSeconds = plain.Elapsed.TotalSeconds;

        await stack.Poller.StopAsync().ConfigureAwait(false);
        var bareSeconds = await new BareJobLoop(stack).RunAsync(count, inFlight, cancellationToken).ConfigureAwait(false);

        return
        [
            new(Name, "ideal ÷ measured (ideal = N × L ÷ calls in flight)", "×", ideal / measured, Target: BenchTarget.ValueAtLeast(0.9, "≥ 0.9")),
            new(Name, "time to drain", "s", measured, bareSeconds, "each job's bare calls, as many at once"),
            new(Name, "the fake Bedrock alone: N calls, as many at once", "s", plainSeconds, ideal, "N × L ÷ calls in flight"),
            new(Name, "jobs succeeded", "jobs", jobs.Count(j => j.Status == Shared.Jobs.JobStatus.Succeeded), Target: BenchTarget.ValueAtLeast(count, $"all {count}")),
        ];
    }
}
