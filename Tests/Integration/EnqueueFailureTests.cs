using System.Net;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.SQS;
using Jobs.Producer;
using Jobs.Producer.Jobs;
using Jobs.Shared.Images;
using Jobs.Shared.Jobs;
using Jobs.Shared.Lambda;
using Jobs.Shared.Models;
using Jobs.Shared.Queue;
using Jobs.Shared.Storage;
using Jobs.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Jobs.Tests.Integration;

/// <summary>When the job is written but its message cannot be sent, the client gets a retryable 5xx and no job is stranded.</summary>
public sealed class EnqueueFailureTests
{
    [Test]
    public async Task A_failed_send_withdraws_the_job_and_answers_503_with_retry_after()
    {
        var stack = await TestStack.GetAsync();
        var services = stack.Services;
        var dynamo = services.GetRequiredService<IAmazonDynamoDB>();
        var table = "enqueue-test-" + Guid.NewGuid().ToString("N");
        await dynamo.CreateTableAsync(JobTable.Definition(table));
        var storeOptions = new JobStoreOptions { TableName = table };
        // A real SQS error from fauxqs: the queue does not exist.
        var queue = new SqsJobQueue(services.GetRequiredService<IAmazonSQS>(), new JobQueueOptions { QueueUrl = stack.QueueUrl + "-missing" });
        var submit = new SubmitJob(
            new JobRequestValidator(ModelCatalog.Default),
            new DynamoDbJobStore(dynamo, storeOptions),
            queue,
            new JobViews(services.GetRequiredService<IImageStore>()),
            storeOptions,
            new ProducerOptions(),
            TimeProvider.System,
            NullLogger<SubmitJob>.Instance);

        var response = await submit.HandleAsync(new HttpApiRequest
        {
            RawPath = "/jobs",
            Headers = new Dictionary<string, string> { ["content-type"] = "application/json" },
            Body = "{\"prompt\":\"never queued\"}",
            RequestContext = new HttpApiRequestContext { Http = new HttpApiRequestHttp { Method = "POST", Path = "/jobs" } },
        }, CancellationToken.None);

        var items = await dynamo.ScanAsync(new ScanRequest { TableName = table, ConsistentRead = true });
        Assert.That(response.StatusCode, Is.EqualTo((int)HttpStatusCode.ServiceUnavailable));
        Assert.That(response.Headers!["retry-after"], Is.EqualTo("1"));
        Assert.That(response.Headers["content-type"], Is.EqualTo("application/problem+json"));
        Assert.That(items.Count, Is.Zero, "no queued job is left without a message");
    }
}
