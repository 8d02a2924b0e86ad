using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Jobs.Consumer.Bedrock;
using Jobs.Consumer.Jobs;
using Jobs.Local.Cli;
using Jobs.Local.Hosting;
using Jobs.Local.LambdaRuntime;
using Jobs.Shared.Jobs;
using Jobs.Shared.Models;
using Jobs.Shared.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Jobs.Local.Soak;

/// <summary>
/// The fault soak: a steady stream of jobs over every model family, with cancels at random moments
/// and duplicate deliveries, while the fake Bedrock throttles, fails and times out, and the consumer
/// (its packaged Native AOT <c>bootstrap</c>, behind a Runtime API per execution environment, as
/// Lambda runs it) is killed with SIGKILL at random moments mid-batch and restarted. When every job
/// has settled, <see cref="SoakChecks"/> verifies the invariants with its own reads.
/// </summary>
public sealed class SoakRunner(SoakOptions options, IProgress<string> progress)
{
    private static readonly TimeSpan FunctionTimeout = TimeSpan.FromSeconds(15);
    private readonly ConcurrentDictionary<string, SoakJob> _jobs = new(StringComparer.Ordinal);
    private readonly Random _random = new(options.Seed);
    private readonly List<string> _violations = [];
    private int _kills;

    public async Task<SoakReport> RunAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        progress.Report("Building the consumer's Lambda package (Native AOT)");
        var bootstrap = await LambdaPackages.BootstrapAsync("consumer").ConfigureAwait(false);
        await using var stack = await LocalStack.StartAsync(StackOptions(), progress, cancellationToken).ConfigureAwait(false);
        var environment = new Dictionary<string, string>(stack.Environment)
        {
            ["JOBS_RECONCILE_MARGIN_SECONDS"] = "10",
            ["JOBS_CONSUMER_CONCURRENCY"] = "10",
            // The fake answers within a second; a 15-second invocation can start calls for its first 9.
            ["JOBS_MINIMUM_ATTEMPT_SECONDS"] = "3",
            // The soak's throttles are random faults, not a quota: a pace would learn a quota that is
            // not there and sink to its floor. The pace is measured against a real quota by the benchmark.
            ["JOBS_PACING"] = "off",
        };
        progress.Report($"Starting {options.Sandboxes} consumer execution environments");
        await using var pool = await SandboxPool.StartAsync(options.Sandboxes, bootstrap, environment, "jobs-consumer").ConfigureAwait(false);
        stack.StartConsumer(
            async (batch, context, token) =>
            {
                try
                {
                    return await pool.InvokeConsumerAsync(batch, context, token).ConfigureAwait(false);
                }
                catch (InvalidOperationException ex) when (ex.Message.Contains("Runtime.ExitError", StringComparison.Ordinal))
                {
                    var at = DateTimeOffset.UtcNow;
                    foreach (var record in batch.Records)
                    {
                        if (JobMessageReader.Read(record.Body) is { } message && _jobs.TryGetValue(message.JobId, out var job))
                        {
                            job.Killed(at);
                        }
                    }

                    throw;
                }
            },
            pool.ReconcileAsync);
        var inbox = new NoticeInbox(stack.Sqs, stack.InboxQueueUrl);
        using var stopReading = new CancellationTokenSource();
        var reading = ReadNoticesAsync(inbox, stopReading.Token);

        using var stopKilling = new CancellationTokenSource();
        var killing = KillAsync(pool, stopKilling.Token);
        using (var http = new HttpClient { BaseAddress = stack.Api.BaseAddress, Timeout = TimeSpan.FromSeconds(30) })
        {
            progress.Report($"Submitting {options.JobsPerSecond:0.#} jobs a second for {options.Duration.TotalMinutes:0.#} min while consumers are killed");
            await SubmitAsync(stack, http, cancellationToken).ConfigureAwait(false);
        }

        progress.Report($"Submitted {_jobs.Count} jobs; waiting for every one to settle");
        var settled = await SettleAsync(stack, cancellationToken).ConfigureAwait(false);
        await stopKilling.CancelAsync().ConfigureAwait(false);
        await killing.ConfigureAwait(false);
        if (!settled)
        {
            _violations.Add($"not every job settled within {options.SettleTimeout.TotalMinutes:0.#} min of the last submission");
        }

        progress.Report("Checking every job against DynamoDB, S3, both queues and the notices");
        var checks = new SoakChecks(stack, _jobs.Values.ToList(), inbox, progress);
        var found = await checks.RunAsync(cancellationToken).ConfigureAwait(false);
        await stopReading.CancelAsync().ConfigureAwait(false);
        await reading.ConfigureAwait(false);

        if (found.Violations.Count > 0 || _violations.Count > 0)
        {
            var logs = Path.Combine(Path.GetTempPath(), "jobs-soak-" + DateTimeOffset.UtcNow.ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture));
            Directory.CreateDirectory(logs);
            for (var i = 0; i < pool.Sandboxes.Count; i++)
            {
                await File.WriteAllTextAsync(Path.Combine(logs, $"consumer-{i}.log"), pool.Sandboxes[i].Output, cancellationToken).ConfigureAwait(false);
            }

            progress.Report($"The consumers' logs are in {logs}");
        }

        var prompts = _jobs.Values.Select(j => stack.Bedrock.LedgerFor(j.Prompt)).Where(l => l is not null).ToList();
        var succeeded = found.Jobs.Where(j => j.Status == JobStatus.Succeeded).Select(j => _jobs[j.Id]).ToList();
        var succeededLedgers = succeeded.Select(j => stack.Bedrock.LedgerFor(j.Prompt)).Where(l => l is not null).ToList();
        return new SoakReport
        {
            Submitted = _jobs.Count,
            ByOutcome = found.Jobs.GroupBy(j => j.Status == JobStatus.Failed ? $"failed ({j.Error?.Code})" : j.Status.ToName()).ToDictionary(g => g.Key, g => g.Count()),
            Kills = Volatile.Read(ref _kills),
            ColdStarts = pool.Sandboxes.Sum(s => s.Starts),
            CancelsRequested = _jobs.Values.Count(j => j.CancelRequested),
            DuplicatesSent = _jobs.Values.Sum(j => j.DuplicatesSent),
            KilledDeliveries = _jobs.Values.Sum(j => j.KilledDeliveries.Count),
            BedrockCalls = prompts.Sum(l => l!.Calls),
            CallsPerSucceededJob = succeededLedgers.Count == 0 ? 0 : succeededLedgers.Average(l => l!.Calls),
            GenerationsPerSucceededJob = succeededLedgers.Count == 0 ? 0 : succeededLedgers.Average(l => l!.Generations.Count),
            SecondGenerations = found.SecondGenerations,
            Throttled = prompts.Sum(l => l!.FailuresOf(BedrockErrors.Throttling)),
            ServerErrors = prompts.Sum(l => l!.FailuresOf(BedrockErrors.InternalServer, BedrockErrors.ModelTimeout)),
            Notices = inbox.Received.Count,
            Elapsed = clock.Elapsed,
            Violations = [.. _violations, .. found.Violations],
        };
    }

    private LocalStackOptions StackOptions()
    {
        var stack = new LocalStackOptions
        {
            StartConsumer = false,
            // A killed invocation's messages come back after this; the lease (the function timeout) ends before.
            VisibilityTimeout = FunctionTimeout + TimeSpan.FromSeconds(5),
            ReconcileInterval = TimeSpan.FromSeconds(10),
            LogLevel = LogLevel.Error,
        };
        stack.Poller.FunctionTimeout = FunctionTimeout;
        stack.Poller.Concurrency = 2;
        var bedrock = stack.Bedrock;
        bedrock.LatencyMin = TimeSpan.FromMilliseconds(100);
        bedrock.LatencyMax = TimeSpan.FromMilliseconds(700);
        bedrock.RandomSeed = options.Seed;
        bedrock.ErrorRates[BedrockErrors.Throttling] = options.ThrottleRate;
        bedrock.ErrorRates[BedrockErrors.InternalServer] = options.ServerErrorRate;
        bedrock.ErrorRates[BedrockErrors.ModelTimeout] = options.TimeoutRate;
        return stack;
    }

    private async Task SubmitAsync(LocalStack stack, HttpClient http, CancellationToken cancellationToken)
    {
        var models = ModelCatalog.Default.Models.Where(m => m.TextToImage).OrderBy(m => m.Id, StringComparer.Ordinal).ToList();
        var interval = TimeSpan.FromSeconds(1 / options.JobsPerSecond);
        var end = DateTimeOffset.UtcNow + options.Duration;
        var pending = new List<Task>();
        for (var n = 0; DateTimeOffset.UtcNow < end; n++)
        {
            pending.Add(SubmitOneAsync(stack, http, models[n % models.Count], n, cancellationToken));
            await Task.Delay(interval, cancellationToken).ConfigureAwait(false);
        }

        await Task.WhenAll(pending).ConfigureAwait(false);
    }

    private async Task SubmitOneAsync(LocalStack stack, HttpClient http, ImageModel model, int n, CancellationToken cancellationToken)
    {
        var filtered = Draw() < options.FilteredShare;
        var prompt = $"soak job {n} {Guid.NewGuid():N}" + (filtered ? " blocked-output" : string.Empty);
        var count = model.Rules.MaxCount > 1 ? 1 + (int)(Draw() * 2) : 1;
        var body = new JsonObject { ["prompt"] = prompt, ["model"] = model.Id };
        if (count > 1)
        {
            body["count"] = count;
        }

        using var content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(new Uri("jobs", UriKind.Relative), content, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            Violation($"POST /jobs for {model.Id} answered {(int)response.StatusCode}: {text}");
            return;
        }

        var id = JsonNode.Parse(text)!["id"]!.GetValue<string>();
        var job = new SoakJob(id, prompt, model.Id, count, filtered);
        _jobs[id] = job;
        var cancel = Draw() < options.CancelShare;
        var duplicate = Draw() < options.DuplicateShare;
        if (cancel)
        {
            job.CancelRequested = true;
            await Task.Delay(TimeSpan.FromSeconds(Draw() * 2), cancellationToken).ConfigureAwait(false);
            using var canceled = await http.PostAsync(new Uri($"jobs/{id}/cancel", UriKind.Relative), null, cancellationToken).ConfigureAwait(false);
            if (canceled.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.Accepted or HttpStatusCode.Conflict))
            {
                Violation($"cancel of {id} answered {(int)canceled.StatusCode}");
            }
        }

        if (duplicate)
        {
            // Another copy of the job's first message, as SQS's at-least-once delivery may hand out.
            await Task.Delay(TimeSpan.FromSeconds(Draw() * 3), cancellationToken).ConfigureAwait(false);
            await stack.Sqs.SendMessageAsync(stack.QueueUrl, JsonSerializer.Serialize(new Shared.Queue.JobMessage(id, 1), Shared.Json.JobsJsonContext.Default.JobMessage), cancellationToken).ConfigureAwait(false);
            job.DuplicatesSent++;
        }
    }

    /// <summary>SIGKILLs a consumer at random moments, preferring one that is inside an invocation.</summary>
    private async Task KillAsync(SandboxPool pool, CancellationToken stopping)
    {
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                var wait = options.KillEveryMin + ((options.KillEveryMax - options.KillEveryMin) * Draw());
                await Task.Delay(wait, stopping).ConfigureAwait(false);
                LambdaSandbox? victim = null;
                for (var look = 0; look < 40 && victim is null; look++)
                {
                    var busy = pool.Sandboxes.Where(s => s.IsBusy).ToList();
                    victim = busy.Count > 0 ? busy[(int)(Draw() * busy.Count) % busy.Count] : null;
                    if (victim is null)
                    {
                        await Task.Delay(50, stopping).ConfigureAwait(false);
                    }
                }

                victim ??= pool.Sandboxes[(int)(Draw() * pool.Sandboxes.Count) % pool.Sandboxes.Count];
                await victim.KillAsync().ConfigureAwait(false);
                Interlocked.Increment(ref _kills);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    /// <summary>Waits until every job is in a final status, or the settle timeout passes.</summary>
    private async Task<bool> SettleAsync(LocalStack stack, CancellationToken cancellationToken)
    {
        var store = stack.Services.GetRequiredService<IJobStore>();
        var open = _jobs.Keys.ToHashSet(StringComparer.Ordinal);
        var deadline = DateTimeOffset.UtcNow + options.SettleTimeout;
        while (open.Count > 0 && DateTimeOffset.UtcNow < deadline)
        {
            foreach (var id in open.ToList())
            {
                if ((await store.GetAsync(id, cancellationToken).ConfigureAwait(false))?.Status.IsTerminal() == true)
                {
                    open.Remove(id);
                }
            }

            if (open.Count > 0)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
            }
        }

        return open.Count == 0;
    }

    private static async Task ReadNoticesAsync(NoticeInbox inbox, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await inbox.DrainOnceAsync(stopping).ConfigureAwait(false);
                await Task.Delay(200, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
            }
        }
    }

    private double Draw()
    {
        lock (_random)
        {
            return _random.NextDouble();
        }
    }

    private void Violation(string text)
    {
        lock (_violations)
        {
            _violations.Add(text);
        }
    }
}
