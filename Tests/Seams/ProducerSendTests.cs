using System.Net;
using Jobs.Producer;
using Jobs.Producer.Api;
using Jobs.Shared.Aws;
using Jobs.Shared.Configuration;
using Jobs.Shared.Jobs;
using Jobs.Shared.Lambda;
using Jobs.Shared.Storage;
using Jobs.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Jobs.Tests.Seams;

/// <summary>
/// The producer writes the job, then sends its message. DynamoDB is the truth: once the item is
/// written the job is accepted, whatever the send does, and a lost send is the reconciler's to
/// repair. A failed send must neither lose the job nor make the client's retry create a second one.
/// </summary>
public sealed class ProducerSendTests
{
    [Test]
    public async Task A_send_that_fails_still_accepts_the_written_job()
    {
        var stack = await TestStack.GetAsync();
        await using var producer = Producer(inner => new FailingSqsSends(inner));

        var answer = await SubmitAsync(producer, "accepted although its send failed");

        Assert.That(answer.StatusCode, Is.EqualTo((int)HttpStatusCode.Accepted), answer.Body);
        var id = answer.Headers!["location"].Split('/')[^1];
        var job = await stack.Services.GetRequiredService<IJobStore>().GetAsync(id, CancellationToken.None);
        Assert.That(job!.Status, Is.EqualTo(JobStatus.Queued), "the job is kept for the reconciler to send");
        Assert.That(job.DueAt, Is.EqualTo(job.CreatedAt).Within(TimeSpan.FromMilliseconds(1)), "its message was due at once, so the reconciler knows it is overdue");
    }

    [Test]
    public async Task A_send_that_succeeded_but_reported_failure_makes_one_job_and_one_image()
    {
        var stack = await TestStack.GetAsync();
        const string prompt = "sent, though SQS's answer was lost";
        await using var producer = Producer(inner => new SendThenFail(inner));

        var answer = await SubmitAsync(producer, prompt);

        Assert.That(answer.StatusCode, Is.EqualTo((int)HttpStatusCode.Accepted), "the client is not told to retry a job that exists");
        using var api = new ApiCalls(stack);
        var done = await api.WaitForFinalAsync(answer.Headers!["location"].Split('/')[^1]);
        Assert.That(done.Status, Is.EqualTo(JobStatus.Succeeded));
        Assert.That(stack.Bedrock.GenerationsFor(prompt), Is.EqualTo(1));
    }

    private static ServiceProvider Producer(Func<HttpMessageHandler, HttpMessageHandler> wrap) =>
        new ServiceCollection()
            .AddJobsLogging(LogLevel.Critical)
            .AddSingleton(new AwsHttpOptions { WrapHandler = wrap })
            .AddJobsCore(JobsSettings.FromEnvironment(Environment.GetEnvironmentVariable))
            .AddProducer()
            .BuildServiceProvider();

    private static Task<HttpApiResponse> SubmitAsync(ServiceProvider producer, string prompt) =>
        producer.GetRequiredService<ApiFunction>().HandleAsync(
            new HttpApiRequest
            {
                RawPath = "/jobs",
                Headers = new Dictionary<string, string> { ["content-type"] = "application/json" },
                Body = $"{{\"prompt\":\"{prompt}\"}}",
                RequestContext = new HttpApiRequestContext { Http = new HttpApiRequestHttp { Method = "POST", Path = "/jobs" } },
            },
            new LambdaContext(Guid.NewGuid().ToString(), DateTimeOffset.UtcNow.AddSeconds(30), null, null),
            CancellationToken.None);

    /// <summary>Lets SendMessage through, then loses SQS's answer: the message is on the queue, the sender sees a 500.</summary>
    private sealed class SendThenFail(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            if (request.Headers.TryGetValues("X-Amz-Target", out var targets) && targets.Contains("AmazonSQS.SendMessage"))
            {
                response.Dispose();
                return new HttpResponseMessage(HttpStatusCode.InternalServerError)
                {
                    RequestMessage = request,
                    Content = new StringContent("{\"__type\":\"com.amazon.coral.service#InternalFailure\",\"message\":\"lost\"}"),
                };
            }

            return response;
        }
    }
}
