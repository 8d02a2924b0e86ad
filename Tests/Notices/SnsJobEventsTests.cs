using Jobs.Local.Hosting;
using Jobs.Shared.Jobs;
using Jobs.Consumer.Notices;
using Jobs.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Jobs.Tests.Notices;

/// <summary>The SNS stand-in against a real peer: fauxqs's SNS, fanning out to the subscribed queue.</summary>
public sealed class SnsJobEventsTests
{
    [Test]
    public async Task A_published_notice_reaches_the_subscribed_queue_with_its_filter_attributes()
    {
        var stack = await TestStack.GetAsync();
        var inbox = await TestStack.InboxAsync();
        var events = stack.ConsumerServices.GetRequiredService<IJobEvents>();
        var jobId = Guid.CreateVersion7().ToString();
        var notice = new JobNotice
        {
            EventId = jobId + ":job.failed",
            Type = "job.failed",
            JobId = jobId,
            Status = JobStatus.Failed,
            Model = "stability.sd3-5-large-v1:0",
            Images = [],
            Error = new JobError(JobErrorCodes.ModelError, "boom"),
            Attempts = 2,
            CreatedAt = DateTimeOffset.UtcNow,
        };

        await events.PublishAsync(notice, CancellationToken.None);
        var received = await inbox.WaitForAsync(jobId, "job.failed", TimeSpan.FromSeconds(20), CancellationToken.None);

        Assert.That(received, Is.Not.Null);
        Assert.That(received!.Attributes, Is.EquivalentTo(new Dictionary<string, string>
        {
            ["type"] = "job.failed",
            ["status"] = "failed",
            ["model"] = "stability.sd3-5-large-v1:0",
        }));
        Assert.That(received.Subject, Is.EqualTo($"Image job {jobId} failed: model_error"));
        Assert.That(received.Notice["error"]!["code"]!.GetValue<string>(), Is.EqualTo("model_error"));
        Assert.That(received.Notice["attempts"]!.GetValue<int>(), Is.EqualTo(2));
    }

    [Test]
    public async Task Email_subscribers_get_a_short_text_with_the_jobs_link_and_everyone_else_the_JSON()
    {
        var events = new SnsJobEvents(new HttpClient { BaseAddress = new Uri("http://127.0.0.1/") }, new JobEventsOptions { TopicArn = "arn:aws:sns:us-east-1:000000000000:t", ApiUrl = new Uri("https://api.example.com/prod/") }, TimeProvider.System);
        var notice = new JobNotice
        {
            EventId = "j1:job.failed",
            Type = "job.failed",
            JobId = "j1",
            Status = JobStatus.Failed,
            Model = "stability.stable-image-core-v1:1",
            Images = [],
            Error = new JobError(JobErrorCodes.ContentFiltered, "Filter reason: prompt"),
            Attempts = 1,
            Deferrals = 2,
            CreatedAt = DateTimeOffset.UtcNow,
        };

        using var request = events.BuildRequest(notice);
        var form = System.Web.HttpUtility.ParseQueryString(await request.Content!.ReadAsStringAsync());
        using var message = System.Text.Json.JsonDocument.Parse(form["Message"]!);

        Assert.That(form["MessageStructure"], Is.EqualTo("json"), "one publish, a message per protocol (AWS: Publish, MessageStructure)");
        using var json = System.Text.Json.JsonDocument.Parse(message.RootElement.GetProperty("default").GetString()!);
        Assert.That(json.RootElement.GetProperty("eventId").GetString(), Is.EqualTo("j1:job.failed"));
        Assert.That(json.RootElement.GetProperty("deferrals").GetInt32(), Is.EqualTo(2));
        var email = message.RootElement.GetProperty("email").GetString()!;
        Assert.That(email, Does.StartWith("Image job j1 failed: content_filtered."));
        Assert.That(email, Does.Contain("Error: content_filtered: Filter reason: prompt"));
        Assert.That(email, Does.Contain("The job: https://api.example.com/prod/jobs/j1"));
    }

    [Test]
    public async Task A_notice_carries_its_owner_as_a_message_attribute_for_filter_policies()
    {
        var stack = await TestStack.GetAsync();
        var inbox = await TestStack.InboxAsync();
        var events = stack.ConsumerServices.GetRequiredService<IJobEvents>();
        var jobId = Guid.CreateVersion7().ToString();

        await events.PublishAsync(new JobNotice
        {
            EventId = jobId + ":job.succeeded",
            Type = "job.succeeded",
            JobId = jobId,
            Status = JobStatus.Succeeded,
            Model = "stability.stable-image-core-v1:1",
            Owner = "arn:aws:iam::000000000000:user/alice",
            Images = [],
            Attempts = 1,
            CreatedAt = DateTimeOffset.UtcNow,
        }, CancellationToken.None);
        var received = await inbox.WaitForAsync(jobId, "job.succeeded", TimeSpan.FromSeconds(20), CancellationToken.None);

        Assert.That(received!.Attributes["owner"], Is.EqualTo("arn:aws:iam::000000000000:user/alice"));
        Assert.That(received.Notice["owner"]!.GetValue<string>(), Is.EqualTo("arn:aws:iam::000000000000:user/alice"));
    }

    [Test]
    public async Task Publishing_to_a_topic_that_does_not_exist_fails_with_SNSs_error_code()
    {
        var stack = await TestStack.GetAsync();
        var http = new HttpClient(new Shared.Aws.SigV4SigningHandler("sns", Shared.Aws.AwsEnvironment.Region(), Shared.Aws.AwsEnvironment.Credentials(), TimeProvider.System, new SocketsHttpHandler()))
        {
            BaseAddress = new Uri(stack.Environment["AWS_ENDPOINT_URL_SNS"]),
        };
        var events = new SnsJobEvents(http, new JobEventsOptions { TopicArn = stack.TopicArn + "-missing" }, TimeProvider.System);

        var error = Assert.ThrowsAsync<SnsPublishException>(() => events.PublishAsync(new JobNotice
        {
            EventId = "e",
            Type = "job.succeeded",
            JobId = "j",
            Status = JobStatus.Succeeded,
            Model = "m",
            Images = [],
            Attempts = 1,
            CreatedAt = DateTimeOffset.UtcNow,
        }, CancellationToken.None));

        Assert.That(error!.Code, Is.EqualTo("NotFound"));
        Assert.That(error.StatusCode, Is.EqualTo(404));
    }
}
