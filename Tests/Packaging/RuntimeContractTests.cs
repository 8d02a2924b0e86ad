using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Jobs.Local.LambdaRuntime;
using Jobs.Tests.Support;

namespace Jobs.Tests.Packaging;

/// <summary>
/// The packaged consumer against the Runtime API's contract as AWS documents it: AWS's own sample
/// SQS event and the degenerate events, SIGTERM during an invocation, and log lines CloudWatch can
/// read as JSON with the request id and the job id as fields.
/// </summary>
public sealed partial class RuntimeContractTests
{
    private static readonly TimeSpan InvokeTimeout = TimeSpan.FromSeconds(20);

    /// <summary>AWS's sample event for an SQS trigger ("Using Lambda with Amazon SQS").</summary>
    private const string AwsSampleSqsEvent = """
        {
          "Records": [
            {
              "messageId": "059f36b4-87a3-44ab-83d2-661975830a7d",
              "receiptHandle": "AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a...",
              "body": "Test message.",
              "attributes": {
                "ApproximateReceiveCount": "1",
                "SentTimestamp": "1545082649183",
                "SenderId": "AIDAIENQZJOLO23YVJ4VO",
                "ApproximateFirstReceiveTimestamp": "1545082649185"
              },
              "messageAttributes": {
                "myAttribute": { "stringValue": "myValue", "stringListValues": [], "binaryListValues": [], "dataType": "String" }
              },
              "md5OfBody": "e4e68fb7bd0e697a0ae8f1bb342846b3",
              "eventSource": "aws:sqs",
              "eventSourceARN": "arn:aws:sqs:us-east-2:123456789012:my-queue",
              "awsRegion": "us-east-2"
            }
          ]
        }
        """;

    [TestCase(AwsSampleSqsEvent, TestName = "AWS's sample SQS event")]
    [TestCase("{}", TestName = "An event with no Records")]
    [TestCase("{\"Records\":null}", TestName = "An event whose Records is null")]
    public async Task The_consumer_answers_an_event_without_throwing(string payload)
    {
        var stack = await TestStack.GetAsync();
        await using var runtime = await RuntimeApiHost.StartAsync(Local.Emulators.FreePort.Next(), "jobs-consumer");
        await using var bootstrap = BootstrapProcess.Start(await LambdaPackages.BootstrapAsync("consumer"), runtime, stack.Environment, "jobs-consumer");

        var result = await runtime.InvokeAsync(Encoding.UTF8.GetBytes(payload), InvokeTimeout, CancellationToken.None);

        Assert.That(result.IsError, Is.False, Encoding.UTF8.GetString(result.Body) + "\n" + bootstrap.Output);
        Assert.That(JsonNode.Parse(result.Body)!["batchItemFailures"]!.AsArray(), Is.Empty, "a record that is not a job message is acknowledged, not retried");
    }

    /// <summary>
    /// Lambda sends SIGTERM while the record is inside its Bedrock call: the runtime must report the
    /// invocation it is in (the unfinished record handed back) and exit cleanly, not crash.
    /// </summary>
    [Test]
    public async Task SIGTERM_during_an_invocation_reports_it_and_exits_zero()
    {
        var stack = await TestStack.GetAsync();
        await using var harness = new ConsumerHarness(stack);
        var prompt = "terminated mid-call " + Guid.NewGuid().ToString("N")[..8];
        var job = await harness.CreateQueuedAsync(prompt);
        using var gate = new BedrockGate(stack.Bedrock.Options, prompt);
        await using var runtime = await RuntimeApiHost.StartAsync(Local.Emulators.FreePort.Next(), "jobs-consumer");
        await using var bootstrap = BootstrapProcess.Start(await LambdaPackages.BootstrapAsync("consumer"), runtime, stack.Environment, "jobs-consumer");
        var message = ConsumerHarness.MessageFor(job.Id);

        var invocation = runtime.InvokeAsync(Encoding.UTF8.GetBytes(SqsEvent(message.MessageId, message.Body)), TimeSpan.FromSeconds(60), CancellationToken.None);
        await gate.Entered;
        bootstrap.Terminate();
        var result = await invocation;
        await bootstrap.WaitForExitAsync(InvokeTimeout);

        Assert.That(result.IsError, Is.False, bootstrap.Output);
        Assert.That(JsonNode.Parse(result.Body)!["batchItemFailures"]!.AsArray().Select(f => f!["itemIdentifier"]!.GetValue<string>()), Is.EqualTo(new[] { message.MessageId }));
        Assert.That(bootstrap.ExitCode, Is.Zero, bootstrap.Output);
    }

    [Test]
    public async Task Every_log_line_is_JSON_with_a_UTC_timestamp_the_request_id_and_the_job_id()
    {
        var stack = await TestStack.GetAsync();
        await using var harness = new ConsumerHarness(stack);
        var job = await harness.CreateQueuedAsync("logged by the packaged consumer " + Guid.NewGuid().ToString("N")[..8]);
        await using var runtime = await RuntimeApiHost.StartAsync(Local.Emulators.FreePort.Next(), "jobs-consumer");
        await using var bootstrap = BootstrapProcess.Start(await LambdaPackages.BootstrapAsync("consumer"), runtime, stack.Environment, "jobs-consumer");
        var message = ConsumerHarness.MessageFor(job.Id);

        var result = await runtime.InvokeAsync(Encoding.UTF8.GetBytes(SqsEvent(message.MessageId, message.Body)), InvokeTimeout, CancellationToken.None);
        // The log line itself, not the JobSucceeded metric (an EMF line) that may come out first.
        await Eventually.WaitForAsync(() => Task.FromResult(bootstrap.Output), o => o.Contains("\"message\":\"Succeeded", StringComparison.Ordinal), TimeSpan.FromSeconds(10), "the success line");

        var lines = bootstrap.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(l => !l.StartsWith("{\"_aws\"", StringComparison.Ordinal))
            .Select(l => JsonNode.Parse(l)!.AsObject())
            .ToList();
        Assert.That(lines, Is.Not.Empty);
        foreach (var line in lines)
        {
            Assert.That(line["timestamp"]?.GetValue<string>(), Does.Match(UtcTimestamp()), line.ToJsonString());
            Assert.That(line["level"]?.GetValue<string>(), Is.Not.Null.And.Not.Empty, line.ToJsonString());
            Assert.That(line["message"]?.GetValue<string>(), Is.Not.Null.And.Not.Empty, line.ToJsonString());
            Assert.That(line["requestId"]?.GetValue<string>(), Is.EqualTo(result.RequestId), line.ToJsonString());
        }

        var jobLines = lines.Where(l => l["message"]!.GetValue<string>().StartsWith("Claimed", StringComparison.Ordinal) || l["message"]!.GetValue<string>().StartsWith("Succeeded", StringComparison.Ordinal)).ToList();
        Assert.That(jobLines, Has.Count.EqualTo(2), string.Join("\n", lines.Select(l => l.ToJsonString())));
        Assert.That(jobLines.Select(l => l["jobId"]?.GetValue<string>()), Is.All.EqualTo(job.Id));
    }

    private static string SqsEvent(string messageId, string body) =>
        $"{{\"Records\":[{{\"messageId\":\"{messageId}\",\"receiptHandle\":\"r\",\"body\":{System.Text.Json.JsonSerializer.Serialize(body)}," +
        "\"attributes\":{\"ApproximateReceiveCount\":\"1\"},\"messageAttributes\":{},\"eventSource\":\"aws:sqs\"," +
        "\"eventSourceARN\":\"arn:aws:sqs:us-east-1:000000000000:jobs\",\"awsRegion\":\"us-east-1\"}]}";

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")]
    private static partial Regex UtcTimestamp();
}
