using System.Security.Cryptography;
using System.Text.Json;
using Amazon.DynamoDBv2;
using Amazon.S3;
using Jobs.Producer;
using Jobs.Consumer.Bedrock;
using Jobs.Shared.Jobs;
using Jobs.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Jobs.Shared.Images;

namespace Jobs.Tests.Integration;

/// <summary>From the HTTP request to the SNS notice, through every emulator.</summary>
public sealed class PipelineTests
{
    [TestCase("1:1", 1024, 1024)]
    [TestCase("16:9", 1344, 768)]
    [TestCase("9:21", 640, 1536)]
    public async Task A_submitted_job_ends_as_a_stored_PNG_a_succeeded_item_and_a_notice(string aspectRatio, int width, int height)
    {
        var stack = await TestStack.GetAsync();
        var inbox = await TestStack.InboxAsync();
        using var api = new ApiCalls(stack);

        var accepted = await api.SubmitAsync($"a lighthouse in a storm {aspectRatio}", $"\"aspectRatio\":\"{aspectRatio}\",\"seed\":42");
        var done = await api.WaitForFinalAsync(accepted.Id);

        Assert.That(accepted.Status, Is.EqualTo(JobStatus.Queued));
        Assert.That(done.Status, Is.EqualTo(JobStatus.Succeeded), done.Error?.Message);
        var image = done.Images.Single();
        Assert.That((image.Width, image.Height, image.Seed), Is.EqualTo((width, height, 42L)));

        // The S3 object: a PNG of that size whose hash is the one recorded.
        var s3 = stack.Services.GetRequiredService<IAmazonS3>();
        using var stored = await s3.GetObjectAsync(image.Bucket, image.Key);
        using var buffer = new MemoryStream();
        await stored.ResponseStream.CopyToAsync(buffer);
        var png = buffer.ToArray();
        Assert.That(stored.Headers.ContentType, Is.EqualTo("image/png"));
        Assert.That(stored.Metadata["x-amz-meta-job-id"], Is.EqualTo(done.Id));
        Assert.That(PngInfo.TryReadSize(png, out var size), Is.True);
        Assert.That((size.Width, size.Height), Is.EqualTo((width, height)));
        Assert.That(Convert.ToHexStringLower(SHA256.HashData(png)), Is.EqualTo(image.Sha256));
        Assert.That(png.LongLength, Is.EqualTo(image.Bytes));

        // The presigned URL works without credentials.
        using var anonymous = new HttpClient();
        Assert.That(await anonymous.GetByteArrayAsync(image.Url), Is.EqualTo(png));

        // The DynamoDB item.
        var item = (await stack.Services.GetRequiredService<IAmazonDynamoDB>().GetItemAsync(stack.Options.TableName, new() { ["jobId"] = new(done.Id) })).Item;
        Assert.That(item["status"].S, Is.EqualTo("succeeded"));
        Assert.That(item["images"].L.Single().M["sha256"].S, Is.EqualTo(image.Sha256));
        Assert.That(item.ContainsKey("notifiedAt"), Is.True);
        Assert.That(item.ContainsKey("leaseExpiresAt"), Is.False);

        // The notice on the subscribed queue.
        var notice = await inbox.WaitForAsync(done.Id, "job.succeeded", TimeSpan.FromSeconds(20), CancellationToken.None);
        Assert.That(notice, Is.Not.Null);
        Assert.That(notice!.Attributes["status"], Is.EqualTo("succeeded"));
        Assert.That(notice.Notice["images"]!.AsArray().Single()!.GetValue<string>(), Is.EqualTo($"s3://{image.Bucket}/{image.Key}"));
        Assert.That(notice.EventId, Is.EqualTo($"{done.Id}:job.succeeded"));
    }

    [Test]
    public async Task The_same_prompt_and_seed_give_the_same_image()
    {
        var stack = await TestStack.GetAsync();
        using var api = new ApiCalls(stack);
        var prompt = "two identical moons " + Guid.NewGuid().ToString("N")[..8];

        var first = await api.WaitForFinalAsync((await api.SubmitAsync(prompt, "\"seed\":7,\"cache\":false")).Id);
        var second = await api.WaitForFinalAsync((await api.SubmitAsync(prompt, "\"seed\":7,\"cache\":false")).Id);
        var other = await api.WaitForFinalAsync((await api.SubmitAsync(prompt, "\"seed\":8,\"cache\":false")).Id);

        Assert.That(second.Images.Single().Sha256, Is.EqualTo(first.Images.Single().Sha256));
        Assert.That(other.Images.Single().Sha256, Is.Not.EqualTo(first.Images.Single().Sha256));
        Assert.That(stack.Bedrock.GenerationsFor(prompt), Is.EqualTo(3), "\"cache\": false makes the image again");
    }

    [Test]
    public async Task A_repeat_of_a_request_with_a_fixed_seed_is_answered_from_its_images_without_a_model_call()
    {
        var stack = await TestStack.GetAsync();
        var inbox = await TestStack.InboxAsync();
        using var api = new ApiCalls(stack);
        var prompt = "paid for once " + Guid.NewGuid().ToString("N")[..8];
        var first = await api.WaitForFinalAsync((await api.SubmitAsync(prompt, "\"seed\":42")).Id);

        using var response = await api.PostJsonAsync("jobs", $"{{\"prompt\":\"{prompt}\",\"seed\":42}}");
        var repeat = JsonSerializer.Deserialize(await response.Content.ReadAsStringAsync(), ProducerJsonContext.Default.JobView)!;
        var randomSeed = await api.WaitForFinalAsync((await api.SubmitAsync(prompt)).Id);

        Assert.That(response.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.OK), "finished at once, not accepted for later");
        Assert.That((repeat.Status, repeat.Cached, repeat.CachedFrom), Is.EqualTo((JobStatus.Succeeded, true, first.Id)));
        Assert.That(repeat.Images.Select(i => (i.Key, i.Sha256)), Is.EqualTo(first.Images.Select(i => (i.Key, i.Sha256))));
        Assert.That(repeat.Images.Single().Url, Is.Not.Null);
        Assert.That(stack.Bedrock.GenerationsFor(prompt), Is.EqualTo(2), "the repeat cost nothing; seed 0 (random) is never answered from the cache");
        Assert.That(randomSeed.Cached, Is.False);
        Assert.That(await inbox.WaitForAsync(repeat.Id, "job.succeeded", TimeSpan.FromSeconds(20), CancellationToken.None), Is.Not.Null, "its notice goes out like any job's");
    }

    [Test]
    public async Task The_status_query_lists_finished_jobs_newest_first_with_a_cursor()
    {
        var stack = await TestStack.GetAsync();
        using var api = new ApiCalls(stack);
        var older = await api.WaitForFinalAsync((await api.SubmitAsync("listed first")).Id);
        var newer = await api.WaitForFinalAsync((await api.SubmitAsync("listed second")).Id);

        using var response = await api.Http.GetAsync(new Uri("jobs?status=succeeded&limit=1", UriKind.Relative));
        var page = JsonSerializer.Deserialize(await response.Content.ReadAsStringAsync(), ProducerJsonContext.Default.JobListView)!;
        using var next = await api.Http.GetAsync(new Uri($"jobs?status=succeeded&limit=1&cursor={Uri.EscapeDataString(page.NextCursor!)}", UriKind.Relative));
        var secondPage = JsonSerializer.Deserialize(await next.Content.ReadAsStringAsync(), ProducerJsonContext.Default.JobListView)!;

        Assert.That(page.Items.Single().Id, Is.EqualTo(newer.Id));
        Assert.That(secondPage.Items.Single().Id, Is.EqualTo(older.Id));
        Assert.That(page.Items.Single().Images.Single().Url, Is.Not.Null);
    }

    [Test]
    public async Task A_second_delivery_of_a_finished_job_does_no_work()
    {
        var stack = await TestStack.GetAsync();
        var inbox = await TestStack.InboxAsync();
        using var api = new ApiCalls(stack);
        var done = await api.WaitForFinalAsync((await api.SubmitAsync("delivered twice")).Id);
        await inbox.WaitForAsync(done.Id, "job.succeeded", TimeSpan.FromSeconds(20), CancellationToken.None);

        await stack.Sqs.SendMessageAsync(stack.QueueUrl, $"{{\"jobId\":\"{done.Id}\"}}");
        await Eventually.WaitForAsync(
            async () => (await stack.Sqs.GetQueueAttributesAsync(stack.QueueUrl, ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"])).Attributes,
            a => a["ApproximateNumberOfMessages"] == "0" && a["ApproximateNumberOfMessagesNotVisible"] == "0",
            TimeSpan.FromSeconds(30),
            "the duplicate to be acknowledged");
        await inbox.DrainOnceAsync(CancellationToken.None);

        var after = await api.GetAsync(done.Id);
        Assert.That(stack.Bedrock.GenerationsFor("delivered twice"), Is.EqualTo(1), "no second image");
        Assert.That(after.Attempts, Is.EqualTo(1));
        Assert.That(after.UpdatedAt, Is.EqualTo(done.UpdatedAt), "the job is not written again");
        // A copy of the job's current message may come from a worker that died before publishing, so
        // it publishes the notice again: the same event id, which subscribers drop as a repeat.
        Assert.That(inbox.Received.Where(n => n.JobId == done.Id).Select(n => n.EventId).Distinct(), Is.EqualTo(new[] { $"{done.Id}:job.succeeded" }));
    }
}
