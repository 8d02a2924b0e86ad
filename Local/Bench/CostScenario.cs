using System.Diagnostics;
using Jobs.Local.AwsCalls;
using Jobs.Shared.Jobs;

namespace Jobs.Local.Bench;

/// <summary>
/// 6. Calls and cost per job: every AWS call each function makes for N jobs at L = 5 s (recorded
/// on the wire, DynamoDB's consumed capacity included), the Lambda time they take, the bytes they
/// log, and from those the cost of 1,000 jobs at list prices on x86_64 and on arm64. Bedrock's own
/// price is the image's and is left out; so are the subscriber's deliveries.
/// </summary>
internal sealed class CostScenario : BenchScenario
{
    /// <summary>Both functions' memory as the Pulumi program deploys them.</summary>
    private const double MemoryGb = 256 / 1024.0;

    /// <summary>What Lambda's event source mapping calls (the local poller plays it): SQS bills these, but no function makes them.</summary>
    private static readonly string[] EventSourceMapping = ["ReceiveMessage", "DeleteMessageBatch"];

    private static readonly string[] Writes = ["PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems"];

    public override string Name => "cost";

    public override string Title => "Calls and cost per job (L = 5 s)";

    public override async Task<IReadOnlyList<BenchMeasure>> RunAsync(BenchOptions options, IProgress<string> progress, CancellationToken cancellationToken)
    {
        var count = options.Jobs(40, least: 10);
        var metricLines = new CountingWriter();
        var logLines = new CountingWriter();
        var console = Console.Out;
        // The services' JSON logs go to the console, as Lambda's do; counted here at Lambda's INFO level.
        Console.SetOut(logLines);
        try
        {
            await using var bench = await BenchStack.StartAsync(
                stack =>
                {
                    stack.LogLevel = Microsoft.Extensions.Logging.LogLevel.Information;
                    stack.RecordAwsCalls = true;
                    stack.MeasureDynamoDbCapacity = true;
                    stack.MetricsOutput = metricLines;
                    stack.Bedrock.LatencyMin = stack.Bedrock.LatencyMax = TimeSpan.FromSeconds(5);
                    stack.ConfigurePace = pace => pace.DefaultQuota = pace.MaxQuota;
                    // The schedule's runs are a fixed cost a minute, not a cost per job.
                    stack.ReconcileInterval = TimeSpan.FromHours(1);
                },
                progress,
                cancellationToken).ConfigureAwait(false);
            var stack = bench.Stack;
            var recorder = stack.AwsCalls!;
            await stack.Poller.StopAsync().ConfigureAwait(false);
            var logsBefore = logLines.Bytes;
            recorder.Clear();

            var (ids, submitMs) = await BenchJobs.SubmitAsync(bench, Name, count, parallel: 4, cancellationToken).ConfigureAwait(false);
            stack.Poller.Start();
            await BenchJobs.WaitForFinalAsync(stack, count, TimeSpan.FromMinutes(5), cancellationToken).ConfigureAwait(false);
            var work = recorder.Calls;
            var readMs = new List<double>();
            foreach (var id in ids)
            {
                var started = Stopwatch.GetTimestamp();
                await bench.Api.GetAsync(id, cancellationToken).ConfigureAwait(false);
                readMs.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }

            var all = recorder.Calls;
            var jobs = await BenchJobs.ReadAsync(stack, ids, cancellationToken).ConfigureAwait(false);
            var succeeded = jobs.Count(j => j.Status == JobStatus.Succeeded);
            return Figures(new Counted(
                succeeded,
                [.. work.Where(c => c.Service != "bedrock")],
                [.. all.Where(c => c.Service != "bedrock")],
                stack.Poller.InvocationTime.TotalSeconds,
                stack.Poller.Batches,
                (submitMs.Sum() + readMs.Sum()) / 1000,
                logLines.Bytes - logsBefore + metricLines.Bytes));
        }
        finally
        {
            Console.SetOut(console);
        }
    }

    private List<BenchMeasure> Figures(Counted c)
    {
        double PerJob(double total) => total / c.Succeeded;
        int Count(IEnumerable<RecordedAwsCall> calls, params string[] operations) => calls.Count(x => operations.Contains(x.Operation));
        var measures = new List<BenchMeasure>
        {
            new(Name, "AWS calls per job by the functions: submit and run (Bedrock aside)", "calls", PerJob(c.Work.Count(x => !EventSourceMapping.Contains(x.Operation))), Target: BenchTarget.ValueAtMost(8, "≤ 8")),
            new(Name, "SQS calls per job by the event source mapping (receive, delete; billed, not the functions')", "calls", PerJob(c.Work.Count(x => EventSourceMapping.Contains(x.Operation)))),
            new(Name, "AWS calls per job with one GET /jobs/{id}", "calls", PerJob(c.All.Count)),
            new(Name, "DynamoDB write units per job (table and index)", "WCU", PerJob(c.Work.Where(x => Writes.Contains(x.Operation)).Sum(x => x.CapacityUnits)), Target: BenchTarget.ValueAtMost(5, "≤ 5")),
            new(Name, "DynamoDB read units per job, one GET included", "RCU", PerJob(c.All.Where(x => x.Service == "dynamodb" && !Writes.Contains(x.Operation)).Sum(x => x.CapacityUnits))),
        };
        foreach (var group in c.All.GroupBy(x => $"{x.Function} {x.Service}:{x.Operation}").OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            measures.Add(new(Name, $"  per job: {group.Key}", "calls", PerJob(group.Count())));
        }

        var lambdaRequests = PerJob(c.ConsumerInvocations) + 2;
        var gbSeconds = PerJob((c.ConsumerSeconds + c.ProducerSeconds) * MemoryGb);
        var dynamo = (PerJob(c.All.Where(x => Writes.Contains(x.Operation)).Sum(x => x.CapacityUnits)) * ListPrices.DynamoDbPerWriteUnit)
            + (PerJob(c.All.Where(x => x.Service == "dynamodb" && !Writes.Contains(x.Operation)).Sum(x => x.CapacityUnits)) * ListPrices.DynamoDbPerReadUnit);
        var sqs = PerJob(c.All.Count(x => x.Service == "sqs")) * ListPrices.SqsPerRequest;
        // The client downloads each image once, by its presigned URL: a GET the bucket's owner pays for.
        var s3 = (PerJob(Count(c.All, "PutObject", "CopyObject", "ListObjectsV2")) * ListPrices.S3PerPut)
            + ((PerJob(Count(c.All, "GetObject", "HeadObject")) + 1) * ListPrices.S3PerGet);
        var sns = PerJob(Count(c.All, "Publish")) * ListPrices.SnsPerPublish;
        foreach (var (architecture, price) in new[] { ("x86_64", ListPrices.LambdaX86PerGbSecond), ("arm64", ListPrices.LambdaArmPerGbSecond) })
        {
            var lambda = (gbSeconds * price) + (lambdaRequests * ListPrices.LambdaPerRequest);
            var total = lambda + dynamo + sqs + s3 + sns;
            measures.Add(new(Name, $"$ per 1,000 jobs, {architecture}: Lambda, DynamoDB, SQS, S3, SNS", "$", 1000 * total, Target: BenchTarget.ValueAtMost(0.02, "≤ $0.02")));
            measures.Add(new(Name, $"  of which Lambda ({architecture})", "$", 1000 * lambda));
        }

        measures.Add(new(Name, "  of which DynamoDB", "$", 1000 * dynamo));
        measures.Add(new(Name, "  of which SQS", "$", 1000 * sqs));
        measures.Add(new(Name, "  of which S3 requests", "$", 1000 * s3));
        measures.Add(new(Name, "  of which SNS publishes", "$", 1000 * sns));
        measures.Add(new(Name, "beside it: API Gateway (submit + one GET)", "$", 1000 * 2 * ListPrices.HttpApiPerRequest));
        measures.Add(new(Name, "beside it: CloudWatch Logs at INFO, metrics included", "$", 1000 * PerJob(c.LogBytes) / 1e9 * ListPrices.LogsPerGigabyte));
        measures.Add(new(Name, "beside it: X-Ray, every request traced", "$", 1000 * lambdaRequests * ListPrices.XRayPerTrace));
        measures.Add(new(Name, "Lambda GB-seconds per job (256 MB)", "GB-s", gbSeconds));
        measures.Add(new(Name, "log bytes per job", "bytes", PerJob(c.LogBytes)));
        return measures;
    }

    private sealed record Counted(
        int Succeeded,
        IReadOnlyList<RecordedAwsCall> Work,
        IReadOnlyList<RecordedAwsCall> All,
        double ConsumerSeconds,
        int ConsumerInvocations,
        double ProducerSeconds,
        long LogBytes);
}
