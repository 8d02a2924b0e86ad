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
