using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Jobs.Consumer.Reconciliation;
using Jobs.Local.AwsCalls;
using Jobs.Local.FakeBedrock;
using Jobs.Producer;
using Jobs.Producer.Api;
using Jobs.Shared.Aws;
using Jobs.Consumer.Bedrock;
using Jobs.Shared.Configuration;
using Jobs.Shared.Images;
using Jobs.Shared.Jobs;
using Jobs.Shared.Lambda;
using Jobs.Shared.Models;
using Jobs.Shared.Storage;
using Jobs.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Jobs.Tests.Iam;

/// <summary>
/// The check the local stack cannot make by itself, since no emulator enforces IAM: every AWS call
/// the functions make (recorded on the wire by the local stack) is evaluated against the role
/// policy the Pulumi program renders for that function, with an IAM policy simulator
/// (@cloud-copilot/iam-simulate; Infrastructure.Pulumi/test/iamCoverage.ts has the rules IAM adds
/// beyond an action's name). A call no statement allows fails the test, and so does a granted
/// action no call used. The scenario below walks every path of the code that makes an AWS call,
/// so the test stands on its own; calls recorded by tests that ran before it are checked as well.
/// </summary>
public sealed class IamCoverageTests
{
    private static readonly Lazy<Task<IReadOnlyList<RecordedAwsCall>>> Scenario = new(RunScenarioAsync);

    [Test]
    public async Task Every_call_the_functions_make_is_allowed_and_every_granted_action_is_used()
    {
        var stack = await TestStack.GetAsync();
        await Scenario.Value;

        var report = await EvaluateAsync(stack.AwsCalls!.Calls);

        TestContext.Out.WriteLine(Summary(report));
        Assert.That(Lines(report["unmapped"]), Is.Empty, "calls the coverage rules cannot read yet");
        Assert.That(Lines(report["denied"]), Is.Empty, "calls the deployed role policy would deny");
        Assert.That(Lines(report["unusedGrants"]), Is.Empty, "granted actions no call used");
        Assert.That(report["checks"]!.GetValue<int>(), Is.GreaterThan(20));
    }

    [TestCase("consumer", "FindImages", "s3:ListBucket", "HeadObject")]
    [TestCase("consumer", "ReadUploads", "s3:GetObject", "GetObject")]
    [TestCase("producer", "Uploads", "s3:GetObject", "GetObject")]
    [TestCase("consumer", "GenerateThroughProfiles", "bedrock:InvokeModel", "InvokeModel")]
    [TestCase("consumer", "EncryptNotices", "kms:GenerateDataKey", "Publish")]
    [TestCase("consumer", "Images", "s3:PutObject", "PutObject")]
    [TestCase("consumer", "DeferJobs", "sqs:SendMessage", "SendMessage")]
    [TestCase("producer", "Enqueue", "sqs:SendMessage", "SendMessage")]
    [TestCase("producer", "JobsByStatus", "dynamodb:Query", "Query")]
    [TestCase("producer", "ListedJobs", "dynamodb:BatchGetItem", "BatchGetItem")]
    [TestCase("consumer", "Reconcile", "dynamodb:Query", "Query")]
    public async Task Removing_a_statement_the_code_needs_makes_its_calls_denied(string function, string sid, string action, string operation)
    {
        // The scenario's own calls: it walks every path, and a run's thousands of calls from earlier
        // tests would only repeat them (the whole run's calls are checked by the test above).
        var report = await EvaluateAsync(await Scenario.Value, new { function, sid });

        var denied = report["denied"]!.AsArray().Select(d => d!).ToList();
        Assert.That(denied, Is.Not.Empty, $"without {function}'s {sid} statement some call must be denied");
        Assert.That(denied.All(d => d["function"]!.GetValue<string>() == function), Is.True);
        Assert.That(denied.Any(d => d["action"]!.GetValue<string>() == action && d["operation"]!.GetValue<string>() == operation), Is.True, string.Join("\n", denied));
    }

    /// <summary>Every path that makes an AWS call, each driven the way it happens in use; answers the calls it made.</summary>
    private static async Task<IReadOnlyList<RecordedAwsCall>> RunScenarioAsync()
    {
        var stack = await TestStack.GetAsync();
        var before = stack.AwsCalls!.Calls.Count;
        using var api = new ApiCalls(stack);
        var operatorStore = stack.Services.GetRequiredService<IJobStore>();

        // Submit, read, list (producer); claim, look for earlier images (a 404), generate, store,
        // complete, notify, record the notice (consumer and its event source mapping).
        var done = await api.WaitForFinalAsync((await api.SubmitAsync("iam coverage: the whole path")).Id);
        Assert.That(done.Status, Is.EqualTo(JobStatus.Succeeded), done.Error?.Message);

        // Batches: an inline one (its copy kept by the producer, an output written elsewhere) and a
        // manifest read from a manifest bucket; expansion, counting, results, the presigned results link.
        await stack.Services.GetRequiredService<Amazon.S3.IAmazonS3>().PutObjectAsync(new Amazon.S3.Model.PutObjectRequest
        {
            BucketName = stack.Options.ManifestBuckets[0],
            Key = "iam-coverage.jsonl",
            ContentBody = "{\"prompt\": \"iam coverage: a manifest item\"}\n",
        });
        foreach (var body in new[]
        {
            $"{{\"items\": [{{\"id\": \"I1\", \"prompt\": \"iam coverage: a batch item\", \"output\": {{\"bucket\": \"{stack.Options.OutputBuckets[0]}\", \"key\": \"iam/I1.png\"}}}}]}}",
            $"{{\"manifest\": {{\"bucket\": \"{stack.Options.ManifestBuckets[0]}\", \"key\": \"iam-coverage.jsonl\"}}}}",
        })
        {
            using var submitted = await api.PostJsonAsync("batches", body);
            var batchId = JsonNode.Parse(await submitted.Content.ReadAsStringAsync())!["id"]!.GetValue<string>();
            await Eventually.WaitForAsync(
                async () => JsonNode.Parse(await api.Http.GetStringAsync(new Uri($"batches/{batchId}", UriKind.Relative)))!,
                b => b["resultsUrl"] is not null,
                TimeSpan.FromSeconds(60),
                "the batch's results");
        }
        await api.GetAsync(done.Id);
        using (var listed = await api.Http.GetAsync(new Uri("jobs?status=succeeded&limit=1", UriKind.Relative)))
        {
            Assert.That(listed.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        // A create under an idempotency key (a transaction of two puts), and its replay (a consistent read of the key).
        for (var i = 0; i < 2; i++)
        {
            using var keyed = new HttpRequestMessage(HttpMethod.Post, new Uri("jobs", UriKind.Relative))
            {
                Content = new StringContent("{\"prompt\":\"iam coverage: keyed\"}", System.Text.Encoding.UTF8, "application/json"),
            };
            keyed.Headers.Add("Idempotency-Key", "iam-coverage-" + done.Id);
            using var answer = await api.Http.SendAsync(keyed);
            Assert.That(answer.IsSuccessStatusCode, Is.True, await answer.Content.ReadAsStringAsync());
        }

        // A client cancels a running job (producer), and its worker cancels it (consumer).
        const string running = "iam coverage: canceled while running";
        using (var gate = new BedrockGate(stack.Bedrock.Options, running))
        {
            var job = await api.SubmitAsync(running);
            await gate.Entered;
            using var cancel = await api.Http.PostAsync(new Uri($"jobs/{job.Id}/cancel", UriKind.Relative), null);
            Assert.That(cancel.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
            gate.Release();
            Assert.That((await api.WaitForFinalAsync(job.Id)).Status, Is.EqualTo(JobStatus.Canceled));
        }

        // SQS fails the producer's send: the job is accepted anyway (producer), and the reconciler,
        // finding its message overdue, sends it (consumer, reading the status index).
        await using (var producer = ProducerWithFailingSends(stack))
        {
            var answer = await producer.GetRequiredService<ApiFunction>().HandleAsync(
                new HttpApiRequest
                {
                    RawPath = "/jobs",
                    Headers = new Dictionary<string, string> { ["content-type"] = "application/json" },
                    Body = "{\"prompt\":\"iam coverage: sent by the reconciler\"}",
                    RequestContext = new HttpApiRequestContext { Http = new HttpApiRequestHttp { Method = "POST", Path = "/jobs" } },
                },
                new LambdaContext("iam-coverage", DateTimeOffset.UtcNow.AddSeconds(30), null, null),
                CancellationToken.None);
            Assert.That(answer.StatusCode, Is.EqualTo(202), answer.Body);
            // A reconciler with no margin: the job's message was due at submission, so it is overdue now.
            await using var reconciler = new ConsumerHarness(stack, options: new global::Jobs.Consumer.ConsumerOptions { ReconcileMargin = TimeSpan.Zero, DeadLetterQueueArn = stack.Options.Consumer.DeadLetterQueueArn });
            await reconciler.Get<Reconciler>().RunAsync(CancellationToken.None);
            Assert.That((await api.WaitForFinalAsync(answer.Headers!["location"].Split('/')[^1])).Status, Is.EqualTo(JobStatus.Succeeded));
        }

        // An edit: the producer reads the upload back to check it (and, for an unknown id, is told
        // 404 only with ListBucket); the consumer reads it and calls a Stability tool through its
        // us. inference profile. A job whose upload has gone by its turn reads a 404 too (consumer).
        var upload = await Uploads.UploadAsync(api, TestImages.Scene(256, 256));
        using (var edit = await api.PostJsonAsync("jobs", $"{{\"task\":\"inpaint\",\"prompt\":\"iam coverage: an edit\",\"image\":\"{upload}\"}}"))
        {
            var editId = JsonNode.Parse(await edit.Content.ReadAsStringAsync())!["id"]!.GetValue<string>();
            Assert.That((await api.WaitForFinalAsync(editId)).Status, Is.EqualTo(JobStatus.Succeeded));
        }

        using (var unknown = await api.PostJsonAsync("jobs", $"{{\"task\":\"erase\",\"image\":\"{Guid.NewGuid():N}\"}}"))
        {
            Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        }

        await using (var consumer = new ConsumerHarness(stack))
        {
            var job = await consumer.CreateQueuedAsync("iam coverage: its upload expired", ModelCatalog.EraseObject, shape: j => j with
            {
                Request = j.Request with { Task = "erase", Prompt = string.Empty, AspectRatio = null, Seed = 0, Inputs = [new JobInput("image", new string('e', 32)) { Key = "uploads/gone/" + new string('e', 32), Sha256 = new string('0', 64) }] },
            });
            await consumer.InvokeAsync(ConsumerHarness.MessageFor(job.Id));
            Assert.That((await operatorStore.GetAsync(job.Id, CancellationToken.None))!.Error?.Code, Is.EqualTo(JobErrorCodes.InputUnavailable));
        }

        // A worker died before storing anything: the next one looks for its images, finds none (a 404), and makes them (consumer).
        await using (var consumer = new ConsumerHarness(stack))
        {
            var job = await consumer.CreateQueuedAsync("iam coverage: taken over from a dead worker");
            var past = DateTimeOffset.UtcNow.AddMinutes(-5);
            await operatorStore.ClaimAsync(job.Id, 1, past.AddSeconds(30), past, CancellationToken.None);
            await consumer.InvokeAsync(ConsumerHarness.MessageFor(job.Id, receiveCount: 2));
            Assert.That((await operatorStore.GetAsync(job.Id, CancellationToken.None))!.Status, Is.EqualTo(JobStatus.Succeeded));
        }

        // Bedrock throttles: the job goes back on a fresh, delayed message (consumer).
        await using (var consumer = new ConsumerHarness(stack))
        {
            const string throttled = "iam coverage: throttled";
            var job = await consumer.CreateQueuedAsync(throttled);
            stack.Bedrock.Options.PromptErrors[throttled] = new([.. Enumerable.Range(0, 5).Select(_ => FakeBedrockError.Of(BedrockErrors.Throttling))]);
            await consumer.InvokeAsync(ConsumerHarness.MessageFor(job.Id));
            Assert.That((await operatorStore.GetAsync(job.Id, CancellationToken.None))!.Deferrals, Is.EqualTo(1));
        }

        // A worker dies after storing the image; the next finds it instead of generating (consumer).
        using (var crash = new CrashPoint())
        {
            var shortLived = new global::Jobs.Consumer.ConsumerOptions { FinishMargin = TimeSpan.Zero, MinimumAttemptBudget = TimeSpan.Zero };
            await using var crashing = new ConsumerHarness(
                stack,
                services => services.AddSingleton<S3ImageStore>().AddSingleton<IImageStore>(sp => new CrashingImageStore(sp.GetRequiredService<S3ImageStore>(), crash)),
                shortLived);
            var job = await crashing.CreateQueuedAsync("iam coverage: crashed after storing");
            var crashed = ConsumerHarness.MessageFor(job.Id);
        // The worker dies after the step: its record is handed back (with nothing after the step done).
        Assert.That(await crashing.InvokeAsync(crashed, crash.InvocationToken, TimeSpan.FromSeconds(2)), Is.EqualTo(new[] { crashed.MessageId }));
            await using var healthy = new ConsumerHarness(stack, time: new ShiftedClock(TimeSpan.FromSeconds(3)));
            await healthy.InvokeAsync(ConsumerHarness.MessageFor(job.Id, receiveCount: 2));
            Assert.That((await operatorStore.GetAsync(job.Id, CancellationToken.None))!.Status, Is.EqualTo(JobStatus.Succeeded));
        }

        // A cancel lands after the image was stored: the worker deletes it (consumer).
        await using (var consumer = new ConsumerHarness(
            stack,
            services => services.AddSingleton<S3ImageStore>().AddSingleton<IImageStore>(sp => new CancelWhileStoring(sp.GetRequiredService<S3ImageStore>(), operatorStore, TimeProvider.System))))
        {
            var job = await consumer.CreateQueuedAsync("iam coverage: canceled while storing");
            await consumer.InvokeAsync(ConsumerHarness.MessageFor(job.Id));
            Assert.That((await operatorStore.GetAsync(job.Id, CancellationToken.None))!.Status, Is.EqualTo(JobStatus.Canceled));
        }

        // A message reaches the dead-letter queue: its job is failed by the DLQ's mapping (consumer).
        await using (var consumer = new ConsumerHarness(stack))
        {
            var job = await consumer.CreateQueuedAsync("iam coverage: dead-lettered");
            await stack.Sqs.SendMessageAsync(stack.DeadLetterQueueUrl, $"{{\"jobId\":\"{job.Id}\"}}");
            await Eventually.WaitForAsync(() => operatorStore.GetAsync(job.Id, CancellationToken.None), j => j!.Status == JobStatus.Failed, TimeSpan.FromSeconds(30), "the dead letter to fail its job");
        }

        return [.. stack.AwsCalls.Calls.Skip(before)];
    }

    private static ServiceProvider ProducerWithFailingSends(Local.Hosting.LocalStack stack)
    {
        var record = stack.AwsCalls!.HandlerFor("producer");
        return new ServiceCollection()
            .AddJobsLogging(LogLevel.Critical)
            .AddSingleton(new AwsHttpOptions { WrapHandler = inner => record(new FailingSqsSends(inner)) })
            .AddJobsCore(JobsSettings.FromEnvironment(Environment.GetEnvironmentVariable))
            .AddProducer()
            .BuildServiceProvider();
    }

    /// <summary>Runs the coverage rules on the calls, against the policy the program renders with every catalog model configured.</summary>
    private static async Task<JsonNode> EvaluateAsync(IReadOnlyList<RecordedAwsCall> calls, object? removeStatement = null)
    {
        var stack = await TestStack.GetAsync();
        await PulumiProgram.EnsureBuiltAsync();
        var resources = stack.Resources;
        var input = new
        {
            models = ModelCatalog.Default.Models.Select(m => m.InvokeId).ToArray(),
            outputBuckets = stack.Options.OutputBuckets,
            manifestBuckets = stack.Options.ManifestBuckets,
            local = new { tableArn = resources.TableArn, queueArn = resources.QueueArn, bulkQueueArn = resources.BulkQueueArn, deadLetterQueueArn = resources.DeadLetterQueueArn, bucketArn = resources.BucketArn, topicArn = resources.TopicArn, uploadsBucketArn = resources.UploadsBucketArn },
            calls = calls.Select(c => new { function = c.Function, service = c.Service, operation = c.Operation, resource = c.Resource, status = c.Status, context = c.Context }).ToArray(),
            removeStatement,
        };
        var file = Path.Combine(Path.GetTempPath(), $"jobs-iam-coverage-{Guid.NewGuid():N}.json");
        await File.WriteAllBytesAsync(file, JsonSerializer.SerializeToUtf8Bytes(input));
        try
        {
            var (exitCode, stdout, stderr) = await PulumiProgram.NodeAsync("dist/test/iamCoverageCli.js", file);
            Assert.That(exitCode, Is.Zero, stderr);
            return JsonNode.Parse(stdout)!;
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static List<string> Lines(JsonNode? items) => items!.AsArray().Select(i => i!.ToJsonString()).ToList();

    private static string Summary(JsonNode report)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{report["calls"]} distinct calls, {report["checks"]} permission checks").AppendLine();
        foreach (var (function, actions) in report["used"]!.AsObject())
        {
            text.Append(CultureInfo.InvariantCulture, $"  {function}: ").AppendJoin(", ", actions!.AsObject().Select(a => $"{a.Key} ×{a.Value}")).AppendLine();
        }

        return text.ToString();
    }
}
