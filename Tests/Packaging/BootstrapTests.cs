using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Jobs.Local.LambdaRuntime;
using Jobs.Shared.Jobs;
using Jobs.Tests.Support;

namespace Jobs.Tests.Packaging;

/// <summary>
/// The packaged Native AOT <c>bootstrap</c> executables, run as Lambda runs them: a child process
/// talking to a local Runtime API, with the local stack's resources in its environment.
/// </summary>
public sealed class BootstrapTests
{
    /// <summary>Generous: an arm64 bootstrap runs here under qemu's emulator, several times slower than natively.</summary>
    private static readonly TimeSpan InvokeTimeout = TimeSpan.FromSeconds(60);

    [TestCase("producer", LambdaPackages.X86_64, Architecture.X64)]
    [TestCase("consumer", LambdaPackages.X86_64, Architecture.X64)]
    [TestCase("producer", LambdaPackages.Arm64, Architecture.Arm64)]
    [TestCase("consumer", LambdaPackages.Arm64, Architecture.Arm64)]
    public async Task Each_zip_holds_one_executable_bootstrap_for_its_architecture(string function, string architecture, Architecture machine)
    {
        var unpacked = await LambdaPackages.BootstrapAsync(function, architecture);

        Assert.That(ElfMachine.Of(unpacked), Is.EqualTo(machine));
        using var zip = ZipFile.OpenRead(LambdaPackages.ZipPath(function, architecture));
        var entry = zip.Entries.Single();
        await using var stream = await entry.OpenAsync();
        var magic = new byte[4];
        await stream.ReadExactlyAsync(magic);

        Assert.That(entry.FullName, Is.EqualTo("bootstrap"));
        Assert.That((entry.ExternalAttributes >> 16) & 0x1FF, Is.EqualTo(0x1ED), "mode 0755, so Lambda can execute it");
        Assert.That(magic, Is.EqualTo(new byte[] { 0x7F, (byte)'E', (byte)'L', (byte)'F' }));
    }

    [Test]
    public async Task The_package_step_refuses_a_binary_that_needs_a_newer_glibc_than_allowed()
    {
        await LambdaPackages.BootstrapAsync("consumer");
        var elsewhere = Path.Combine(Path.GetTempPath(), "jobs-glibc-" + Guid.NewGuid().ToString("N")[..8]) + "/";

        var (exitCode, output) = await LambdaPackages.PublishAsync("Consumer", "-p:LambdaMaxGlibcVersion=2.17", $"-p:LambdaPackageDirectory={elsewhere}");

        Assert.That(exitCode, Is.Not.Zero);
        Assert.That(output, Does.Contain("needs GLIBC_2.").And.Contain("newer than the allowed GLIBC_2.17"));
        Assert.That(File.Exists(Path.Combine(elsewhere, "consumer.zip")), Is.False);
    }

    [TestCase(LambdaPackages.X86_64)]
    [TestCase(LambdaPackages.Arm64)]
    public async Task The_producer_binary_answers_an_HTTP_API_event(string architecture)
    {
        var stack = await TestStack.GetAsync();
        await using var runtime = await RuntimeApiHost.StartAsync(FreePort(), "jobs-producer");
        await using var bootstrap = BootstrapProcess.Start(await LambdaPackages.BootstrapAsync("producer", architecture), runtime, stack.Environment, "jobs-producer");

        var submitted = await InvokeJsonAsync(runtime, bootstrap, HttpEvent("POST", "/jobs", "{\"prompt\":\"from the packaged producer\",\"aspectRatio\":\"16:9\"}"));
        var job = JsonNode.Parse(submitted["body"]!.GetValue<string>())!;
        var fetched = await InvokeJsonAsync(runtime, bootstrap, HttpEvent("GET", $"/jobs/{job["id"]}", null));
        var invalid = await InvokeJsonAsync(runtime, bootstrap, HttpEvent("POST", "/jobs", "{\"prompt\":\"\"}"));
        var models = await InvokeJsonAsync(runtime, bootstrap, HttpEvent("GET", "/models", null));
        var catalog = JsonNode.Parse(models["body"]!.GetValue<string>())!;

        Assert.That(submitted["statusCode"]!.GetValue<int>(), Is.EqualTo(202), bootstrap.Output);
        Assert.That(submitted["headers"]!["location"]!.GetValue<string>(), Is.EqualTo($"/jobs/{job["id"]}"));
        Assert.That(job["aspectRatio"]!.GetValue<string>(), Is.EqualTo("16:9"));
        Assert.That(fetched["statusCode"]!.GetValue<int>(), Is.EqualTo(200));
        Assert.That(invalid["statusCode"]!.GetValue<int>(), Is.EqualTo(400));
        Assert.That(invalid["headers"]!["content-type"]!.GetValue<string>(), Is.EqualTo("application/problem+json"));
        Assert.That(catalog["items"]!.AsArray().Select(m => m!["rules"]!["promptMaxLength"]!.GetValue<int>()), Has.Member(512), "source-generated JSON covers the catalog under Native AOT");
    }

    [TestCase(LambdaPackages.X86_64)]
    [TestCase(LambdaPackages.Arm64)]
    public async Task The_consumer_binary_processes_an_SQS_batch_to_a_finished_job(string architecture)
    {
        var stack = await TestStack.GetAsync();
        await using var harness = new ConsumerHarness(stack);
        var job = await harness.CreateQueuedAsync("from the packaged consumer " + architecture);
        await using var runtime = await RuntimeApiHost.StartAsync(FreePort(), "jobs-consumer");
        await using var bootstrap = BootstrapProcess.Start(await LambdaPackages.BootstrapAsync("consumer", architecture), runtime, stack.Environment, "jobs-consumer");
        var message = ConsumerHarness.MessageFor(job.Id);
        var sqsEvent = $"{{\"Records\":[{{\"messageId\":\"{message.MessageId}\",\"receiptHandle\":\"r\",\"body\":{JsonSerializer.Serialize(message.Body)}," +
                       "\"attributes\":{\"ApproximateReceiveCount\":\"1\"},\"messageAttributes\":{},\"eventSource\":\"aws:sqs\"," +
                       "\"eventSourceARN\":\"arn:aws:sqs:us-east-1:000000000000:jobs\",\"awsRegion\":\"us-east-1\"}]}";

        var response = await InvokeJsonAsync(runtime, bootstrap, sqsEvent);
        var stored = await harness.Store.GetAsync(job.Id, CancellationToken.None);

        Assert.That(response["batchItemFailures"]!.AsArray(), Is.Empty, bootstrap.Output);
        Assert.That(stored!.Status, Is.EqualTo(JobStatus.Succeeded));
        Assert.That(stored.Images.Single().Width, Is.EqualTo(1024));
    }

    [Test]
    public async Task A_handler_exception_is_reported_through_the_error_endpoint_and_the_function_keeps_serving()
    {
        var stack = await TestStack.GetAsync();
        await using var runtime = await RuntimeApiHost.StartAsync(FreePort(), "jobs-consumer");
        await using var bootstrap = BootstrapProcess.Start(await LambdaPackages.BootstrapAsync("consumer"), runtime, stack.Environment, "jobs-consumer");

        var failed = await runtime.InvokeAsync("[\"not an SQS event\"]"u8.ToArray(), InvokeTimeout, CancellationToken.None);
        var error = JsonNode.Parse(failed.Body)!;
        var next = await runtime.InvokeAsync("{\"Records\":[]}"u8.ToArray(), InvokeTimeout, CancellationToken.None);

        Assert.That(failed.IsError, Is.True, bootstrap.Output);
        Assert.That(error["errorType"]!.GetValue<string>(), Is.EqualTo("JsonException"));
        Assert.That(error["errorMessage"]!.GetValue<string>(), Is.Not.Empty);
        Assert.That(failed.ErrorType, Is.EqualTo("Runtime.JsonException"));
        Assert.That(next.IsError, Is.False, "one failed invocation does not end the process");
        Assert.That(bootstrap.HasExited, Is.False);
    }

    [Test]
    public async Task Missing_configuration_is_reported_through_init_error_and_the_process_exits()
    {
        var stack = await TestStack.GetAsync();
        var environment = stack.Environment.Where(e => e.Key != "JOBS_TABLE_NAME").ToDictionary();
        await using var runtime = await RuntimeApiHost.StartAsync(FreePort(), "jobs-producer");
        await using var bootstrap = BootstrapProcess.Start(await LambdaPackages.BootstrapAsync("producer"), runtime, environment, "jobs-producer");

        var initError = await runtime.InitError.WaitAsync(InvokeTimeout);
        await bootstrap.WaitForExitAsync(InvokeTimeout);
        var error = JsonNode.Parse(initError.Body)!;

        Assert.That(error["errorMessage"]!.GetValue<string>(), Does.Contain("JOBS_TABLE_NAME"));
        Assert.That(error["errorType"]!.GetValue<string>(), Is.EqualTo("InvalidOperationException"));
        Assert.That(bootstrap.ExitCode, Is.Not.Zero);
    }

    [Test]
    public async Task A_consumer_without_its_dead_letter_queue_arn_reports_init_error_instead_of_taking_dead_letters_for_work()
    {
        var stack = await TestStack.GetAsync();
        var environment = stack.Environment.Where(e => e.Key != "JOBS_DEAD_LETTER_QUEUE_ARN").ToDictionary();
        await using var runtime = await RuntimeApiHost.StartAsync(FreePort(), "jobs-consumer");
        await using var bootstrap = BootstrapProcess.Start(await LambdaPackages.BootstrapAsync("consumer"), runtime, environment, "jobs-consumer");

        var initError = await runtime.InitError.WaitAsync(InvokeTimeout);
        await bootstrap.WaitForExitAsync(InvokeTimeout);

        Assert.That(JsonNode.Parse(initError.Body)!["errorMessage"]!.GetValue<string>(), Does.Contain("JOBS_DEAD_LETTER_QUEUE_ARN"));
        Assert.That(bootstrap.ExitCode, Is.Not.Zero);
    }

    private static async Task<JsonNode> InvokeJsonAsync(RuntimeApiHost runtime, BootstrapProcess bootstrap, string payload)
    {
        var result = await runtime.InvokeAsync(Encoding.UTF8.GetBytes(payload), InvokeTimeout, CancellationToken.None);
        Assert.That(result.IsError, Is.False, Encoding.UTF8.GetString(result.Body) + "\n" + bootstrap.Output);
        return JsonNode.Parse(result.Body)!;
    }

    private static string HttpEvent(string method, string path, string? body) =>
        JsonSerializer.Serialize(new JsonObject
        {
            ["version"] = "2.0",
            ["routeKey"] = "$default",
            ["rawPath"] = path,
            ["rawQueryString"] = "",
            ["headers"] = new JsonObject { ["content-type"] = "application/json", ["host"] = "api.example.com" },
            ["requestContext"] = new JsonObject
            {
                ["accountId"] = "000000000000",
                ["apiId"] = "local",
                ["domainName"] = "api.example.com",
                ["http"] = new JsonObject { ["method"] = method, ["path"] = path, ["protocol"] = "HTTP/1.1", ["sourceIp"] = "127.0.0.1", ["userAgent"] = "tests" },
                ["requestId"] = Guid.NewGuid().ToString(),
                ["routeKey"] = "$default",
                ["stage"] = "$default",
                ["time"] = "28/Nov/2026:12:00:00 +0000",
                ["timeEpoch"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            },
            ["body"] = body,
            ["isBase64Encoded"] = false,
        });

    private static int FreePort() => Local.Emulators.FreePort.Next();
}
