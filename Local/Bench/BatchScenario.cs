using Amazon.S3;
using Amazon.S3.Model;
using Jobs.Local.Hosting;
using Jobs.Shared.Batches;
using Jobs.Shared.Jobs;
using Jobs.Shared.Models;
using Jobs.Shared.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Jobs.Local.Bench;

/// <summary>
/// 7. A large batch against a quota: N items in one manifest against Q = 600 requests a minute
/// (L = 200 ms), and, a quarter of the way through, one single job. How close does the batch's drain
/// come to N ÷ Q, and how long does the single job wait for its start? Baseline: the same run with
/// batch jobs booking slots as far ahead as single jobs do (no priority), where the single job
/// waits behind the batch's bookings.
/// </summary>
internal sealed class BatchScenario : BenchScenario
{
    private const int QuotaPerMinute = 600;

    public override string Name => "batch";

    public override string Title => "A batch against a quota, and a single job behind it (Q = 600/min, L = 200 ms)";

    public override async Task<IReadOnlyList<BenchMeasure>> RunAsync(BenchOptions options, IProgress<string> progress, CancellationToken cancellationToken)
    {
        var count = options.Jobs(10_000, least: 100);
        var ideal = TimeSpan.FromMinutes((double)count / QuotaPerMinute);
        progress.Report($"batch: {count} items, single jobs first (ideal drain {ideal.TotalMinutes:0.#} min)");
        var first = await RunAsync(count, priority: true, ideal, progress, cancellationToken).ConfigureAwait(false);
        progress.Report($"batch: {count} items, no priority (baseline)");
        var flat = await RunAsync(count, priority: false, ideal, progress, cancellationToken).ConfigureAwait(false);
        const string baseline = "no priority";
        return
        [
            new(Name, "batch drain time ÷ (N ÷ Q)", "×", first.Drain / ideal, flat.Drain / ideal, baseline, BenchTarget.ValueAtMost(1.1, "≤ 1.1× ideal")),
            new(Name, "single job's submit to finish (its call takes 0.2 s)", "s", first.SingleWait.TotalSeconds, flat.SingleWait.TotalSeconds, baseline, BenchTarget.ValueAtMost(5, "≤ 5 s")),
            new(Name, "Bedrock calls throttled", "share", first.ThrottledShare, flat.ThrottledShare, baseline, BenchTarget.ValueAtMost(0.05, "≤ 5 %")),
            new(Name, "items not succeeded at the cut-off (2× ideal + 2 min)", "items", first.NotSucceeded, flat.NotSucceeded, baseline, BenchTarget.ValueAtMost(0, "0")),
            new(Name, "deferrals per batch job", "deferrals", first.DeferralsPerJob, flat.DeferralsPerJob, baseline),
        ];
    }

    private static async Task<Outcome> RunAsync(int count, bool priority, TimeSpan ideal, IProgress<string> progress, CancellationToken cancellationToken)
    {
        var model = ModelCatalog.Default.DefaultModelId;
        await using var bench = await BenchStack.StartAsync(
            options =>
            {
                options.Bedrock.LatencyMin = options.Bedrock.LatencyMax = TimeSpan.FromMilliseconds(200);
                options.Bedrock.RequestsPerMinute = QuotaPerMinute;
                options.ReconcileInterval = TimeSpan.FromMinutes(1);
                options.ConfigurePace = pace =>
                {
                    pace.Quotas[model] = QuotaPerMinute;
                    if (!priority)
                    {
                        pace.BulkHorizon = TimeSpan.FromDays(1);
                    }
                };
            },
            progress,
            cancellationToken).ConfigureAwait(false);
        var stack = bench.Stack;
        var key = $"bench-{Guid.NewGuid():N}.jsonl";
        var lines = Enumerable.Range(0, count).Select(i => $"{{\"id\":\"B{i:D6}\",\"prompt\":\"batch bench item {i} {key}\"}}");
        await stack.Services.GetRequiredService<IAmazonS3>().PutObjectAsync(new PutObjectRequest { BucketName = stack.Options.ManifestBuckets[0], Key = key, ContentBody = string.Join('\n', lines) }, cancellationToken).ConfigureAwait(false);

        var started = DateTimeOffset.UtcNow;
        var (batch, problem) = await bench.Api.SubmitBatchAsync($"{{\"manifest\":{{\"bucket\":\"{stack.Options.ManifestBuckets[0]}\",\"key\":\"{key}\"}}}}", cancellationToken).ConfigureAwait(false);
        if (batch is null)
        {
            throw new InvalidOperationException($"The batch was refused: {problem?.Detail}");
        }

        await Task.Delay(ideal / 4, cancellationToken).ConfigureAwait(false);
        var (single, _) = await bench.Api.SubmitAsync(BenchJobs.Submission("batch-single", 0), cancellationToken).ConfigureAwait(false);
        var store = stack.Services.GetRequiredService<IJobStore>();
        var batches = stack.Services.GetRequiredService<IBatchStore>();
        var cutOff = started + (2 * ideal) + TimeSpan.FromMinutes(2);
        Batch? state;
        Job? singleJob;
        do
        {
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
            state = await batches.GetAsync(batch.Id, cancellationToken).ConfigureAwait(false);
            singleJob = await store.GetAsync(single!.Id, cancellationToken).ConfigureAwait(false);
        }
        while ((state?.CompletedAt is null || singleJob?.CompletedAt is null) && DateTimeOffset.UtcNow < cutOff);

        var ids = Enumerable.Range(0, count).Select(i => BatchIds.JobIdFor(batch.Id, i)).ToList();
        var jobs = await BenchJobs.ReadAsync(stack, ids, cancellationToken).ConfigureAwait(false);
        var stats = stack.Bedrock.StatsFor(model);
        return new Outcome(
            (state?.CompletedAt ?? cutOff) - started,
            // Its claim comes at once; a job told to wait for its slot finishes only after it.
            singleJob?.CompletedAt is { } end ? end - singleJob.CreatedAt : cutOff - single!.CreatedAt,
            stats.Calls == 0 ? 0 : stats.Throttled / (double)stats.Calls,
            count - jobs.Count(j => j.Status == JobStatus.Succeeded),
            jobs.Count == 0 ? 0 : jobs.Average(j => j.Deferrals));
    }

    private sealed record Outcome(TimeSpan Drain, TimeSpan SingleWait, double ThrottledShare, int NotSucceeded, double DeferralsPerJob);
}
