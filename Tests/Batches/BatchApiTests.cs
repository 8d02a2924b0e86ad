using System.Net;
using System.Text.Json;
using Amazon.S3;
using Jobs.Producer;
using Jobs.Producer.Batches;
using Jobs.Shared.Batches;
using Jobs.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Jobs.Tests.Batches;

/// <summary>Batches through the HTTP API on the local stack: checked whole, made into jobs, counted, reported once.</summary>
public sealed class BatchApiTests
{
    private static async Task<BatchView> ReadAsync(HttpResponseMessage response) =>
        JsonSerializer.Deserialize(await response.Content.ReadAsStringAsync(), ProducerJsonContext.Default.BatchView)!;

    private static Task<BatchView> WaitForEndAsync(ApiCalls api, string id) =>
        Eventually.WaitForAsync(
            async () => await ReadAsync(await api.Http.GetAsync(new Uri($"batches/{id}", UriKind.Relative))),
            b => b.Status is BatchStatus.Completed or BatchStatus.Canceled or BatchStatus.Failed && b.ResultsUrl is not null,
            TimeSpan.FromSeconds(90),
            $"batch {id} to finish");

    [Test]
    public async Task An_inline_batch_with_one_bad_item_is_refused_whole_naming_that_item()
    {
        var stack = await TestStack.GetAsync();
        using var api = new ApiCalls(stack);
        var before = await api.JobCountAsync();

        using var response = await api.PostJsonAsync("batches", """
            {"items": [
              {"id": "A0001", "prompt": "a lighthouse"},
              {"id": "A0002", "prompt": "   ", "metadata": {"rank": "vip"}},
              {"id": "A0003", "prompt": "a harbour", "output": {"bucket": "someone-elses-bucket", "key": "x.png"}},
              {"id": "A0001", "prompt": "a duplicate id"},
              {"id": "A0005", "task": "erase", "image": "0190d8f1a2b34c5d8e9f0a1b2c3d4e5f"}
            ]}
            """);
        var problem = await ApiCalls.ReadProblemAsync(response);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(problem.Errors!.Select(e => e.Field), Is.EquivalentTo(new[] { "items[1].prompt", "items[2].output.bucket", "items[3].id", "items[4].image" }));
        Assert.That(await api.JobCountAsync(), Is.EqualTo(before), "no job was made");
    }

    [Test]
    public async Task A_manifest_uploaded_through_the_API_runs_and_a_bad_upload_id_is_refused()
    {
        var stack = await TestStack.GetAsync();
        using var api = new ApiCalls(stack);
        var tag = Guid.NewGuid().ToString("N");
        var lines = string.Join('\n', Enumerable.Range(0, 3).Select(i => $"{{\"id\":\"U{i}\",\"prompt\":\"an uploaded manifest {tag} {i}\"}}"));
        var (uploadId, form) = await Uploads.CreateAsync(api, "application/x-ndjson");
        using (var posted = await Uploads.PostFormAsync(form, System.Text.Encoding.UTF8.GetBytes(lines), "application/x-ndjson"))
        {
            Assert.That((int)posted.StatusCode, Is.InRange(200, 204));
        }

        using var submitted = await api.PostJsonAsync("batches", $"{{\"manifest\":{{\"uploadId\":\"{uploadId}\"}}}}");
        using var bad = await api.PostJsonAsync("batches", "{\"manifest\":{\"uploadId\":\"../../images\"}}");
        var batchId = System.Text.Json.Nodes.JsonNode.Parse(await submitted.Content.ReadAsStringAsync())!["id"]!.GetValue<string>();
        var done = await Eventually.WaitForAsync(
            async () => System.Text.Json.Nodes.JsonNode.Parse(await api.Http.GetStringAsync(new Uri($"batches/{batchId}", UriKind.Relative)))!,
            b => b["resultsUrl"] is not null,
            TimeSpan.FromSeconds(60),
            "the uploaded manifest's batch");

        Assert.That(submitted.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        Assert.That(done["counts"]!["succeeded"]!.GetValue<int>(), Is.EqualTo(3));
        Assert.That(bad.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await ApiCalls.ReadProblemAsync(bad)).Errors!.Select(e => e.Field), Is.EqualTo(new[] { "manifest.uploadId" }));
    }

    [Test]
    public async Task An_inline_batch_makes_its_jobs_writes_the_asked_output_counts_exactly_and_reports_once()
    {
        var stack = await TestStack.GetAsync();
        using var api = new ApiCalls(stack);
        var inbox = await TestStack.InboxAsync();
        var tag = Guid.NewGuid().ToString("N")[..8];

        using var response = await api.PostJsonAsync("batches", $$$"""
            {"items": [
              {"id": "A0001", "prompt": "a lighthouse {{{tag}}}", "metadata": {"rank": "vip"}, "output": {"bucket": "jobs-outputs", "key": "{{{tag}}}/A0001.png"}},
              {"id": "A0002", "prompt": "a harbour {{{tag}}}", "metadata": {"rank": "normal"}},
              {"id": "A0003", "prompt": "a pier {{{tag}}}"}
            ]}
            """);
        var submitted = await ReadAsync(response);
        var done = await WaitForEndAsync(api, submitted.Id);
        var results = (await api.Http.GetStringAsync(done.ResultsUrl)).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonSerializer.Deserialize(l, BatchJsonContext.Default.BatchResultLine)!).ToList();
        var completed = await inbox.WaitForAsync(submitted.Id, "batch.completed", TimeSpan.FromSeconds(20), CancellationToken.None);
        var jobNotice = await inbox.WaitForAsync(results[1].JobId!, "job.succeeded", TimeSpan.FromSeconds(20), CancellationToken.None);
        using var output = await stack.Services.GetRequiredService<IAmazonS3>().GetObjectAsync("jobs-outputs", $"{tag}/A0001.png");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        Assert.That(done.Status, Is.EqualTo(BatchStatus.Completed));
        Assert.That(done.Counts, Is.EqualTo(new BatchCounts(3, 0, 3, 0, 0, 0, 0)));
        Assert.That(results.Select(r => (r.Index, r.Id, r.Status)), Is.EqualTo(new[] { (0, "A0001", "succeeded"), (1, "A0002", "succeeded"), (2, "A0003", "succeeded") }));
        Assert.That(results[0].Metadata, Is.EqualTo(new Dictionary<string, string> { ["rank"] = "vip" }));
        Assert.That(results[0].Images, Is.EqualTo(new[] { $"s3://jobs-outputs/{tag}/A0001.png" }));
        Assert.That(output.Headers.ContentLength, Is.GreaterThan(0));
        Assert.That(completed!.Notice["succeeded"]!.GetValue<int>(), Is.EqualTo(3));
        Assert.That(completed.Attributes["type"], Is.EqualTo("batch.completed"));
        Assert.That(jobNotice!.Attributes["batchId"], Is.EqualTo(submitted.Id));
        Assert.That(jobNotice.Attributes["clientId"], Is.EqualTo("A0002"));
        Assert.That(jobNotice.Notice["metadata"]!["rank"]!.GetValue<string>(), Is.EqualTo("normal"));
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.That(inbox.Received.Count(n => n.JobId == submitted.Id && n.Type == "batch.completed"), Is.EqualTo(1), "batch.completed once");

        // Its jobs page in manifest order; the caller's batches list it.
        var first = JsonSerializer.Deserialize(await api.Http.GetStringAsync(new Uri($"batches/{submitted.Id}/jobs?limit=2", UriKind.Relative)), ProducerJsonContext.Default.BatchJobsView)!;
        var rest = JsonSerializer.Deserialize(await api.Http.GetStringAsync(new Uri($"batches/{submitted.Id}/jobs?limit=2&from={first.NextFrom}", UriKind.Relative)), ProducerJsonContext.Default.BatchJobsView)!;
        var failed = JsonSerializer.Deserialize(await api.Http.GetStringAsync(new Uri($"batches/{submitted.Id}/jobs?status=failed", UriKind.Relative)), ProducerJsonContext.Default.BatchJobsView)!;
        var listed = JsonSerializer.Deserialize(await api.Http.GetStringAsync(new Uri("batches?limit=1", UriKind.Relative)), ProducerJsonContext.Default.BatchListView)!;
        Assert.That(first.Items.Concat(rest.Items).Select(j => j.Id), Is.EqualTo(results.Select(r => r.JobId)));
        Assert.That((first.NextFrom, rest.NextFrom), Is.EqualTo(((int?)2, (int?)null)));
        Assert.That(failed.Items, Is.Empty);
        Assert.That(listed.Items.Single().Id, Is.EqualTo(submitted.Id), "the newest batch first");
    }

    [Test]
    public async Task Canceling_a_batch_cancels_its_unfinished_jobs_and_ends_it_canceled()
    {
        var stack = await TestStack.GetAsync();
        using var api = new ApiCalls(stack);
        // Jobs that wait far in the future: still queued when the cancel arrives.
        var items = string.Join(",", Enumerable.Range(0, 5).Select(i => $$"""{"id": "C{{i}}", "prompt": "not yet {{i}}", "model": "amazon.titan-image-generator-v1"}"""));
        stack.Options.Bedrock.LatencyMin = stack.Options.Bedrock.LatencyMax = TimeSpan.FromSeconds(3);
        try
        {
            using var response = await api.PostJsonAsync("batches", $$"""{"items": [{{items}}]}""");
            var submitted = await ReadAsync(response);
            using var cancel = await api.Http.PostAsync(new Uri($"batches/{submitted.Id}/cancel", UriKind.Relative), null);
            var done = await WaitForEndAsync(api, submitted.Id);

            Assert.That(cancel.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
            Assert.That(done.Status, Is.EqualTo(BatchStatus.Canceled));
            Assert.That(done.Counts.Pending, Is.Zero);
            Assert.That(done.Counts.Succeeded + done.Counts.Canceled + done.Counts.Skipped + done.Counts.Failed, Is.EqualTo(5));
            Assert.That(done.Counts.Canceled + done.Counts.Skipped, Is.GreaterThan(0), "something was stopped");
        }
        finally
        {
            stack.Options.Bedrock.LatencyMin = stack.Options.Bedrock.LatencyMax = TimeSpan.Zero;
        }
    }
}
