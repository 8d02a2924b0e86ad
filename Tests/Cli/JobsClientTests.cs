using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json;
using Jobs.Local.Client;
using Jobs.Local.Hosting;
using Jobs.Producer;
using Jobs.Producer.Jobs;
using Jobs.Shared.Jobs;
using Jobs.Tests.Support;

namespace Jobs.Tests.Cli;

/// <summary>
/// The <c>jobs</c> client as a script runs it: a separate process against the local stack's API,
/// judged by its exit code, its stdout and its stderr.
/// </summary>
public sealed class JobsClientTests
{
    private static readonly string LocalDll = Path.Combine(AppContext.BaseDirectory, "Jobs.Local.dll");
    private LocalStack _stack = null!;

    [SetUp]
    public async Task StartAsync() => _stack = await TestStack.GetAsync();

    [Test]
    [CancelAfter(120_000)]
    public async Task Submit_with_wait_writes_the_image_and_exits_0(CancellationToken cancellationToken)
    {
        var file = Path.Combine(TestContext.CurrentContext.WorkDirectory, $"client-{Guid.NewGuid():N}.png");

        var run = await RunAsync(cancellationToken, "submit", "a client's lighthouse", "--aspect-ratio", "16:9", "--out", file, "--json");

        Assert.That(run.ExitCode, Is.EqualTo(ClientExitCodes.Ok), run.Stderr);
        var job = JsonSerializer.Deserialize(run.Stdout.Trim(), ProducerJsonContext.Default.JobView)!;
        Assert.That(job.Status, Is.EqualTo(JobStatus.Succeeded));
        Assert.That(Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(file, cancellationToken))), Is.EqualTo(job.Images[0].Sha256));
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task A_job_that_fails_exits_1_and_says_why(CancellationToken cancellationToken)
    {
        var run = await RunAsync(cancellationToken, "submit", "a blocked-prompt for the client", "--wait");

        Assert.That(run.ExitCode, Is.EqualTo(ClientExitCodes.JobNotSucceeded));
        Assert.That(run.Stdout, Does.Contain("failed").And.Contain("content_filtered"));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task A_refused_request_exits_2_naming_the_field_and_an_unknown_job_exits_3(CancellationToken cancellationToken)
    {
        var refused = await RunAsync(cancellationToken, "submit", "x", "--aspect-ratio", "7:3");
        var missing = await RunAsync(cancellationToken, "get", "01a2220b-73b9-775f-894d-c555c0a38621");

        Assert.That(refused.ExitCode, Is.EqualTo(ClientExitCodes.Refused));
        Assert.That(refused.Stderr, Does.Contain("aspectRatio"));
        Assert.That(refused.Stdout, Is.Empty);
        Assert.That(missing.ExitCode, Is.EqualTo(ClientExitCodes.NotFound));
        Assert.That(missing.Stderr, Does.Contain("not found").IgnoreCase);
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task An_API_that_cannot_be_reached_exits_4(CancellationToken cancellationToken)
    {
        using var closed = new TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var port = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();

        var run = await RunWithApiAsync($"http://127.0.0.1:{port}/", cancellationToken, "get", "01a2220b-73b9-775f-894d-c555c0a38621");

        Assert.That(run.ExitCode, Is.EqualTo(ClientExitCodes.Unavailable));
        Assert.That(run.Stderr, Does.Contain("could not be reached"));
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task List_get_watch_and_cancel_speak_the_APIs_JSON(CancellationToken cancellationToken)
    {
        using var api = new ApiCalls(_stack);
        var job = await api.WaitForFinalAsync((await api.SubmitAsync("for the client to list")).Id);

        var listed = await RunAsync(cancellationToken, "list", "--status", "succeeded", "--limit", "100", "--json");
        var got = await RunAsync(cancellationToken, "get", job.Id, "--json");
        var watched = await RunAsync(cancellationToken, "watch", job.Id);
        var cancel = await RunAsync(cancellationToken, "cancel", job.Id);

        Assert.That(listed.ExitCode, Is.EqualTo(ClientExitCodes.Ok), listed.Stderr);
        Assert.That(JsonSerializer.Deserialize(listed.Stdout.Trim(), ProducerJsonContext.Default.JobListView)!.Items.Select(j => j.Id), Does.Contain(job.Id));
        Assert.That(JsonSerializer.Deserialize(got.Stdout.Trim(), ProducerJsonContext.Default.JobView)!.Id, Is.EqualTo(job.Id));
        Assert.That(watched.ExitCode, Is.EqualTo(ClientExitCodes.Ok));
        Assert.That(watched.Stdout, Does.StartWith($"{job.Id} succeeded"));
        Assert.That(cancel.ExitCode, Is.EqualTo(ClientExitCodes.Refused), "a finished job cannot be canceled (409)");
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Notices_prints_each_notice_on_a_subscribed_queue(CancellationToken cancellationToken)
    {
        // A queue of the test's own, holding a notice exactly as SNS delivered one to the stack's inbox.
        var inbox = await TestStack.InboxAsync();
        using var api = new ApiCalls(_stack);
        var job = await api.WaitForFinalAsync((await api.SubmitAsync("for the client's notices")).Id);
        var delivered = await inbox.WaitForAsync(job.Id, "job.succeeded", TimeSpan.FromSeconds(20), cancellationToken);
        var queueUrl = (await _stack.Sqs.CreateQueueAsync($"client-notices-{Guid.NewGuid():N}", cancellationToken)).QueueUrl;
        await _stack.Sqs.SendMessageAsync(queueUrl, delivered!.Envelope, cancellationToken);

        var run = await RunAsync(cancellationToken, "notices", "--queue-url", queueUrl, "--seconds", "2", "--json");

        Assert.That(run.ExitCode, Is.EqualTo(ClientExitCodes.Ok), run.Stderr);
        using var notice = JsonDocument.Parse(run.Stdout.Trim());
        Assert.That(notice.RootElement.GetProperty("jobId").GetString(), Is.EqualTo(job.Id));
        Assert.That(notice.RootElement.GetProperty("type").GetString(), Is.EqualTo("job.succeeded"));
    }

    [Test]
    [CancelAfter(180_000)]
    public async Task A_batch_from_a_template_runs_and_its_images_land_in_the_directory_named_by_id(CancellationToken cancellationToken)
    {
        var directory = Path.Combine(TestContext.CurrentContext.WorkDirectory, $"batch-{Guid.NewGuid():N}");
        var list = directory + ".jsonl";

        var template = await RunAsync(cancellationToken, "batch-template", "--count", "3", "--metadata", "rank=normal", "--out", list);
        var lines = (await File.ReadAllLinesAsync(list, cancellationToken)).Select((l, i) => l.Replace("\"prompt\":\"\"", $"\"prompt\":\"a client's batch item {i} {Guid.NewGuid():N}\"", StringComparison.Ordinal));
        await File.WriteAllLinesAsync(list, lines, cancellationToken);
        var run = await RunAsync(cancellationToken, "batch", list, "--out", directory);

        Assert.That(template.ExitCode, Is.EqualTo(ClientExitCodes.Ok), template.Stderr);
        Assert.That(run.ExitCode, Is.EqualTo(ClientExitCodes.Ok), run.Stderr + run.Stdout);
        Assert.That(Directory.GetFiles(directory).Select(Path.GetFileName).Order(), Is.EqualTo(new[] { "A0001.png", "A0002.png", "A0003.png" }));
        Assert.That(run.Stdout, Does.Contain("\"succeeded\":3"));
    }

    [Test]
    [CancelAfter(180_000)]
    public async Task A_batch_file_over_the_inline_limit_goes_up_as_a_manifest(CancellationToken cancellationToken)
    {
        var list = Path.Combine(TestContext.CurrentContext.WorkDirectory, $"big-{Guid.NewGuid():N}.jsonl");
        var tag = Guid.NewGuid().ToString("N");
        // A one-second deadline: items not started at once expire without a Bedrock call, and the batch is canceled once read.
        await File.WriteAllLinesAsync(list, Enumerable.Range(0, 1_001).Select(i => $"{{\"id\":\"B{i:D4}\",\"prompt\":\"a big batch {tag} item {i}\",\"deadlineSeconds\":1}}"), cancellationToken);

        var run = await RunAsync(cancellationToken, "batch", list);

        Assert.That(run.ExitCode, Is.EqualTo(ClientExitCodes.Ok), run.Stderr);
        Assert.That(run.Stderr, Does.Contain("as manifest"));
        var batchId = run.Stdout.Trim();
        using var api = new ApiCalls(_stack);
        var batch = await Eventually.WaitForAsync(
            async () => System.Text.Json.Nodes.JsonNode.Parse(await api.Http.GetStringAsync(new Uri($"batches/{batchId}", UriKind.Relative), cancellationToken))!,
            b => b["total"] is not null,
            TimeSpan.FromSeconds(60),
            "the manifest to be read");
        using var cancel = await api.Http.PostAsync(new Uri($"batches/{batchId}/cancel", UriKind.Relative), null, cancellationToken);
        Assert.That(batch["total"]!.GetValue<int>(), Is.EqualTo(1_001), "every line of the file was read from the uploaded manifest");
        Assert.That((int)cancel.StatusCode, Is.InRange(200, 202));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task A_batch_file_with_a_bad_item_exits_2_naming_it(CancellationToken cancellationToken)
    {
        var list = Path.Combine(TestContext.CurrentContext.WorkDirectory, $"bad-{Guid.NewGuid():N}.jsonl");
        await File.WriteAllLinesAsync(list, ["{\"id\":\"A1\",\"prompt\":\"fine\"}", "{\"id\":\"A2\",\"prompt\":\"\"}"], cancellationToken);

        var run = await RunAsync(cancellationToken, "batch", list);

        Assert.That(run.ExitCode, Is.EqualTo(ClientExitCodes.Refused));
        Assert.That(run.Stderr, Does.Contain("items[1].prompt"));
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task Edit_uploads_the_image_and_mask_runs_the_task_and_writes_the_result(CancellationToken cancellationToken)
    {
        var directory = Path.Combine(TestContext.CurrentContext.WorkDirectory, $"edit-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        var photo = Path.Combine(directory, "photo.png");
        var mask = Path.Combine(directory, "mask.png");
        var result = Path.Combine(directory, "out.png");
        await File.WriteAllBytesAsync(photo, TestImages.Scene(300, 300), cancellationToken);
        await File.WriteAllBytesAsync(mask, TestImages.Mask(300, 300), cancellationToken);

        var run = await RunAsync(cancellationToken, "edit", "--task", "inpaint", "--image", photo, "--mask", mask, "a red sports car", "--param", "growMask=8", "--out", result, "--json");
        var refused = await RunAsync(cancellationToken, "edit", "--task", "inpaint", "--image", photo, "--param", "growMask=99");

        Assert.That(run.ExitCode, Is.EqualTo(ClientExitCodes.Ok), run.Stderr);
        var job = JsonSerializer.Deserialize(run.Stdout.Trim().Split('\n')[^1], ProducerJsonContext.Default.JobView)!;
        Assert.That((job.Task, job.Inputs!.Count, job.Parameters!["growMask"]), Is.EqualTo(("inpaint", 2, "8")));
        var edited = global::Jobs.Shared.Images.PngDecoder.TryDecode(await File.ReadAllBytesAsync(result, cancellationToken))!;
        Assert.That(TestImages.At(edited, 5, 5), Is.EqualTo((TestImages.Background.R, TestImages.Background.G, TestImages.Background.B, (byte)255)), "outside the mask kept");
        Assert.That(TestImages.At(edited, 150, 150), Is.Not.EqualTo((TestImages.Subject.R, TestImages.Subject.G, TestImages.Subject.B, (byte)255)), "inside it painted");
        Assert.That(refused.ExitCode, Is.EqualTo(ClientExitCodes.Refused));
        Assert.That(refused.Stderr, Does.Contain("growMask"));
    }

    private Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(CancellationToken cancellationToken, params string[] arguments) =>
        RunWithApiAsync(_stack.Api.BaseAddress.ToString(), cancellationToken, arguments);

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunWithApiAsync(string api, CancellationToken cancellationToken, params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { LocalDll, "jobs" }.Concat(arguments).Concat(["--api", api]))
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return (process.ExitCode, await stdout, await stderr);
    }
}
