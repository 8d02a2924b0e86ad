using Jobs.Shared.Jobs;

namespace Jobs.Local.Bench;

/// <summary>
/// 3. Pipeline overhead: L = 0 and no quota, so only the service's own work is left. Jobs per
/// second end to end (submitted through the HTTP API, run by the consumer) against
/// <see cref="BareJobLoop"/>'s bare calls on the same emulators with as many workers.
/// </summary>
internal sealed class OverheadScenario : BenchScenario
{
    public override string Name => "overhead";

    public override string Title => "Pipeline overhead (L = 0, no quota)";

    public override async Task<IReadOnlyList<BenchMeasure>> RunAsync(BenchOptions options, IProgress<string> progress, CancellationToken cancellationToken)
    {
        var count = options.Jobs(200);
        await using var bench = await BenchStack.StartAsync(
            stack => stack.ConfigurePace = pace => pace.DefaultQuota = pace.MaxQuota,
            progress,
            cancellationToken).ConfigureAwait(false);
        var stack = bench.Stack;
        var workers = stack.Options.Poller.Concurrency * stack.Options.Poller.BatchSize;

        // A short warm-up of both paths (the in-process functions run under the JIT here).
        await BenchJobs.SubmitAsync(bench, "warm-up", 20, parallel: 4, cancellationToken).ConfigureAwait(false);
        await BenchJobs.WaitForFinalAsync(stack, 20, TimeSpan.FromMinutes(2), cancellationToken).ConfigureAwait(false);
        await stack.Poller.StopAsync().ConfigureAwait(false);
        await new BareJobLoop(stack).RunAsync(20, workers, cancellationToken).ConfigureAwait(false);
        stack.Poller.Start();

        var before = await BenchJobs.CountFinalAsync(stack, cancellationToken).ConfigureAwait(false);
        var started = DateTimeOffset.UtcNow;
        var (ids, _) = await BenchJobs.SubmitAsync(bench, Name, count, parallel: 8, cancellationToken).ConfigureAwait(false);
        await BenchJobs.WaitForFinalAsync(stack, before + count, TimeSpan.FromMinutes(5), cancellationToken).ConfigureAwait(false);
        var jobs = await BenchJobs.ReadAsync(stack, ids, cancellationToken).ConfigureAwait(false);
        var pipelineSeconds = (jobs.Max(j => j.CompletedAt ?? DateTimeOffset.UtcNow) - started).TotalSeconds;

        await stack.Poller.StopAsync().ConfigureAwait(false);
        var bareSeconds = await new BareJobLoop(stack).RunAsync(count, workers, cancellationToken).ConfigureAwait(false);

        return
        [
            new(Name, "jobs per second, end to end", "jobs/s", count / pipelineSeconds, count / bareSeconds, "bare calls in a plain loop"),
            new(Name, "jobs succeeded", "jobs", jobs.Count(j => j.Status == JobStatus.Succeeded), Target: BenchTarget.ValueAtLeast(count, $"all {count}")),
        ];
    }
}
