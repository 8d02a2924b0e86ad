using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Jobs.Local.FakeBedrock;
using Jobs.Consumer.Bedrock;
using Jobs.Shared.Jobs;
using Jobs.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Jobs.Tests.Integration;

/// <summary>
/// Messages that can never succeed are acknowledged (with the reason logged), never retried for
/// ever; a job whose message reaches the dead-letter queue, or whose tries run out, ends failed
/// with a notice; a job past its deadline expires.
/// </summary>
public sealed class PoisonAndDeadLetterTests
{
    [TestCase("this is not json")]
    [TestCase("{\"jobId\":\"not-a-uuid\"}")]
    [TestCase("{\"jobId\":\"01a22222-0000-7000-8000-000000000000\"}")]
    public async Task A_message_that_names_no_job_is_acknowledged(string body)
    {
        var stack = await TestStack.GetAsync();
        await using var consumer = new ConsumerHarness(stack);

        var redeliver = await consumer.InvokeAsync(ConsumerHarness.Message(body));

        Assert.That(redeliver, Is.Empty);
    }

    [Test]
    public async Task A_job_item_that_cannot_be_read_is_acknowledged_and_a_good_message_beside_it_still_runs()
    {
        var stack = await TestStack.GetAsync();
        await using var consumer = new ConsumerHarness(stack);
        var corrupt = Guid.CreateVersion7().ToString("D");
        await stack.Services.GetRequiredService<IAmazonDynamoDB>().PutItemAsync(new PutItemRequest
        {
            TableName = stack.Options.TableName,
            Item = new()
            {
                ["jobId"] = new AttributeValue { S = corrupt },
                ["status"] = new AttributeValue { S = "queued" },
                ["createdAt"] = new AttributeValue { S = "yesterday-ish" },
                ["updatedAt"] = new AttributeValue { S = "2026-01-01T00:00:00.0000000Z" },
                ["prompt"] = new AttributeValue { S = "x" },
                ["model"] = new AttributeValue { S = "stability.stable-image-core-v1:1" },
            },
        });
        var good = await consumer.CreateQueuedAsync("beside a poison message");

        var redeliver = await consumer.InvokeAsync([ConsumerHarness.MessageFor(corrupt), ConsumerHarness.MessageFor(good.Id)]);

        Assert.That(redeliver, Is.Empty);
        Assert.That((await consumer.Store.GetAsync(good.Id, CancellationToken.None))!.Status, Is.EqualTo(JobStatus.Succeeded));
    }

    [Test]
    public async Task A_job_for_a_model_no_longer_offered_fails_as_invalid_with_a_notice()
    {
        var stack = await TestStack.GetAsync();
        var inbox = await TestStack.InboxAsync();
        await using var consumer = new ConsumerHarness(stack);
        var job = await consumer.CreateQueuedAsync("an old model", model: "stability.stable-diffusion-v0-retired");

        var redeliver = await consumer.InvokeAsync(ConsumerHarness.MessageFor(job.Id));
        var stored = await consumer.Store.GetAsync(job.Id, CancellationToken.None);

        Assert.That(redeliver, Is.Empty);
        Assert.That((stored!.Status, stored.Error!.Code), Is.EqualTo((JobStatus.Failed, JobErrorCodes.InvalidJob)));
        Assert.That(await inbox.WaitForAsync(job.Id, "job.failed", TimeSpan.FromSeconds(20), CancellationToken.None), Is.Not.Null);
    }

    [Test]
    public async Task A_message_that_reaches_the_dead_letter_queue_fails_its_job_with_a_notice()
    {
        var stack = await TestStack.GetAsync();
        var inbox = await TestStack.InboxAsync();
        await using var consumer = new ConsumerHarness(stack);
        var job = await consumer.CreateQueuedAsync("dead lettered");

        await stack.Sqs.SendMessageAsync(stack.DeadLetterQueueUrl, $"{{\"jobId\":\"{job.Id}\"}}");
        var notice = await inbox.WaitForAsync(job.Id, "job.failed", TimeSpan.FromSeconds(30), CancellationToken.None);
        var stored = await consumer.Store.GetAsync(job.Id, CancellationToken.None);

        Assert.That(stored!.Status, Is.EqualTo(JobStatus.Failed));
        Assert.That(stored.Error!.Code, Is.EqualTo(JobErrorCodes.DeadLettered));
        Assert.That(notice, Is.Not.Null);
        Assert.That(stack.Bedrock.GenerationsFor("dead lettered"), Is.Zero, "a dead letter is settled, not run");
    }

    [Test]
    public async Task A_dead_letter_for_a_finished_job_leaves_it_as_it_is()
    {
        var stack = await TestStack.GetAsync();
        await using var consumer = new ConsumerHarness(stack);
        var job = await consumer.CreateQueuedAsync("finished before its dead letter");
        await consumer.InvokeAsync(ConsumerHarness.MessageFor(job.Id));

        var redeliver = await consumer.InvokeAsync(ConsumerHarness.MessageFor(job.Id, receiveCount: 6, sourceArn: stack.Options.Consumer.DeadLetterQueueArn));

        Assert.That(redeliver, Is.Empty);
        Assert.That((await consumer.Store.GetAsync(job.Id, CancellationToken.None))!.Status, Is.EqualTo(JobStatus.Succeeded));
    }

    [Test]
    public async Task A_passing_error_on_the_last_attempt_fails_the_job_as_retries_exhausted()
    {
        var stack = await TestStack.GetAsync();
        await using var consumer = new ConsumerHarness(stack);
        var prompt = "fails every time " + Guid.NewGuid().ToString("N")[..8];
        var maxAttempts = stack.Options.Consumer.MaxAttempts;
        var job = await consumer.CreateQueuedAsync(prompt, shape: j => j with { Attempts = maxAttempts - 1 });
        stack.Bedrock.Options.PromptErrors[prompt] = new([.. Enumerable.Range(0, 5).Select(_ => FakeBedrockError.Of(BedrockErrors.ServiceUnavailable))]);

        var redeliver = await consumer.InvokeAsync(ConsumerHarness.MessageFor(job.Id));
        var stored = await consumer.Store.GetAsync(job.Id, CancellationToken.None);

        Assert.That(redeliver, Is.Empty, "settled here rather than left to the dead-letter queue");
        Assert.That((stored!.Status, stored.Attempts, stored.Error!.Code), Is.EqualTo((JobStatus.Failed, maxAttempts, JobErrorCodes.RetriesExhausted)));
        Assert.That(stored.Error.Message, Does.Contain("ServiceUnavailableException"));
    }

    [Test]
    public async Task A_passing_error_sends_the_job_back_on_a_fresh_message_with_the_attempt_counted()
    {
        var stack = await TestStack.GetAsync();
        await using var consumer = new ConsumerHarness(stack);
        var prompt = "fails once then waits " + Guid.NewGuid().ToString("N")[..8];
        var job = await consumer.CreateQueuedAsync(prompt);
        stack.Bedrock.Options.PromptErrors[prompt] = new([.. Enumerable.Range(0, 3).Select(_ => FakeBedrockError.Of(BedrockErrors.InternalServer))]);

        var message = ConsumerHarness.MessageFor(job.Id);
        var redeliver = await consumer.InvokeAsync(message);
        var stored = await consumer.Store.GetAsync(job.Id, CancellationToken.None);

        Assert.That(redeliver, Is.Empty, "the message in hand is done with; a fresh one brings the job back after a backoff");
        Assert.That((stored!.Status, stored.Attempts, stored.Dispatch, stored.Error!.Code), Is.EqualTo((JobStatus.Queued, 1, 2, JobErrorCodes.Transient)));
        Assert.That(stored.DueAt, Is.GreaterThan(stored.UpdatedAt), "the next attempt waits out a backoff");
        using var api = new ApiCalls(stack);
        var done = await api.WaitForFinalAsync(job.Id);
        Assert.That((done.Status, done.Attempts), Is.EqualTo((JobStatus.Succeeded, 2)), "the fresh message ran the second attempt");
    }

    [Test]
    public async Task A_job_past_its_deadline_expires_with_a_notice_instead_of_running()
    {
        var stack = await TestStack.GetAsync();
        var inbox = await TestStack.InboxAsync();
        await using var consumer = new ConsumerHarness(stack);
        var job = await consumer.CreateQueuedAsync("too late", createdAt: DateTimeOffset.UtcNow - stack.Options.Consumer.JobDeadline - TimeSpan.FromMinutes(1));

        var redeliver = await consumer.InvokeAsync(ConsumerHarness.MessageFor(job.Id));
        var stored = await consumer.Store.GetAsync(job.Id, CancellationToken.None);

        Assert.That(redeliver, Is.Empty);
        Assert.That((stored!.Status, stored.Error!.Code), Is.EqualTo((JobStatus.Failed, JobErrorCodes.Expired)));
        Assert.That(stack.Bedrock.GenerationsFor("too late"), Is.Zero);
        Assert.That(await inbox.WaitForAsync(job.Id, "job.failed", TimeSpan.FromSeconds(20), CancellationToken.None), Is.Not.Null);
    }
}
