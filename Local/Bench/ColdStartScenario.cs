using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Jobs.Local.Hosting;
using Jobs.Local.LambdaRuntime;
using Jobs.Shared.Jobs;
using Jobs.Shared.Json;
using Jobs.Shared.Lambda;
using Jobs.Shared.Models;
using Jobs.Shared.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Jobs.Local.Bench;

/// <summary>
/// 5. Cold start and memory: each function's Native AOT <c>bootstrap</c>, started as Lambda starts
/// it against a Runtime API, beside the same code under the JIT (<c>dotnet Jobs.X.dll</c>): time
/// from process start to the first invocation's answer, and the peak resident memory after it
/// (the consumer's first invocation is a batch of ten jobs, all run at once; the producer's, a submit).
/// </summary>
internal sealed class ColdStartScenario : BenchScenario
{
    private const int BatchSize = 10;

    public override string Name => "coldstart";

    public override string Title => "Cold start and memory (Native AOT against the JIT)";

    public override async Task<IReadOnlyList<BenchMeasure>> RunAsync(BenchOptions options, IProgress<string> progress, CancellationToken cancellationToken)
    {
        progress.Report("coldstart: building the packages (Native AOT) and the JIT builds");
        var builds = new Dictionary<string, (string Bootstrap, string Assembly)>();
        foreach (var function in new[] { "producer", "consumer" })
        {
            builds[function] = (await LambdaPackages.BootstrapAsync(function).ConfigureAwait(false), await LambdaPackages.JitEntryAsync(function).ConfigureAwait(false));
        }

        await using var bench = await BenchStack.StartAsync(stack => stack.StartConsumer = false, progress, cancellationToken).ConfigureAwait(false);
        var measures = new List<BenchMeasure>();
        foreach (var (function, (bootstrap, assembly)) in builds)
        {
            var jit = await StartOnceAsync(bench.Stack, function, (runtime, environment) =>
                BootstrapProcess.StartCommand("dotnet", [assembly], Path.GetDirectoryName(assembly)!, runtime, environment, "jobs-" + function), cancellationToken).ConfigureAwait(false);
            var aot = await StartOnceAsync(bench.Stack, function, (runtime, environment) =>
                BootstrapProcess.Start(bootstrap, runtime, environment, "jobs-" + function), cancellationToken).ConfigureAwait(false);
            const string baseline = "the same code under the JIT";
            measures.Add(new(Name, $"{function}: process start to first answer", "ms", aot.FirstAnswerMs, jit.FirstAnswerMs, baseline));
            measures.Add(new(Name, $"{function}: peak resident memory", "MB", aot.PeakMb, jit.PeakMb, baseline));
        }

        return measures;
    }

    private static async Task<(double FirstAnswerMs, double PeakMb)> StartOnceAsync(
        LocalStack stack, string function, Func<RuntimeApiHost, IReadOnlyDictionary<string, string>, BootstrapProcess> start, CancellationToken cancellationToken)
    {
        var payload = function == "producer" ? SubmitEvent() : await BatchEventAsync(stack, cancellationToken).ConfigureAwait(false);
        await using var runtime = await RuntimeApiHost.StartAsync(Emulators.FreePort.Next(), "jobs-" + function).ConfigureAwait(false);
        var clock = Stopwatch.StartNew();
        await using var process = start(runtime, stack.Environment);
        var answer = await runtime.InvokeAsync(payload, TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);
        var firstAnswerMs = clock.Elapsed.TotalMilliseconds;
        if (answer.IsError)
        {
            throw new InvalidOperationException($"The {function}'s first invocation failed: {Encoding.UTF8.GetString(answer.Body)}\n{process.Output}");
        }

        return (firstAnswerMs, process.PeakResidentBytes() / 1024.0 / 1024.0);
    }

    private static byte[] SubmitEvent() => JsonSerializer.SerializeToUtf8Bytes(new JsonObject
    {
        ["version"] = "2.0",
        ["routeKey"] = "$default",
        ["rawPath"] = "/jobs",
        ["rawQueryString"] = "",
        ["headers"] = new JsonObject { ["content-type"] = "application/json", ["host"] = "api.example.com" },
        ["requestContext"] = new JsonObject
        {
            ["accountId"] = "000000000000",
            ["apiId"] = "local",
            ["domainName"] = "api.example.com",
            ["http"] = new JsonObject { ["method"] = "POST", ["path"] = "/jobs", ["protocol"] = "HTTP/1.1", ["sourceIp"] = "127.0.0.1", ["userAgent"] = "bench" },
            ["requestId"] = Guid.NewGuid().ToString(),
            ["routeKey"] = "$default",
            ["stage"] = "$default",
            ["time"] = "01/Dec/2026:12:00:00 +0000",
            ["timeEpoch"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
        },
        ["body"] = $"{{\"prompt\":\"cold start {Guid.NewGuid():N}\"}}",
        ["isBase64Encoded"] = false,
    });

    /// <summary>Ten queued jobs and the SQS event that carries their messages.</summary>
    private static async Task<byte[]> BatchEventAsync(LocalStack stack, CancellationToken cancellationToken)
    {
        var store = stack.Services.GetRequiredService<IJobStore>();
        var records = new List<SqsEventMessage>();
        for (var i = 0; i < BatchSize; i++)
        {
            var now = DateTimeOffset.UtcNow;
            var job = new Job
            {
                Id = JobIds.New(TimeProvider.System),
                Status = JobStatus.Queued,
                Request = new JobRequest { Prompt = $"cold start batch {i} {Guid.NewGuid():N}", Model = ModelCatalog.Default.DefaultModelId, AspectRatio = "1:1", Seed = i },
                CreatedAt = now,
                UpdatedAt = now,
                ExpiresAt = now.AddDays(1),
                DueAt = now,
            };
            await store.CreateAsync(job, cancellationToken).ConfigureAwait(false);
            records.Add(new SqsEventMessage
            {
                MessageId = Guid.NewGuid().ToString(),
                ReceiptHandle = Guid.NewGuid().ToString(),
                Body = $"{{\"jobId\":\"{job.Id}\",\"dispatch\":1}}",
                Attributes = new Dictionary<string, string> { ["ApproximateReceiveCount"] = "1" },
                EventSourceArn = stack.QueueArn,
                AwsRegion = stack.Options.Region,
            });
        }

        return JsonSerializer.SerializeToUtf8Bytes(new SqsEvent { Records = records }, JobsJsonContext.Default.SqsEvent);
    }
}
