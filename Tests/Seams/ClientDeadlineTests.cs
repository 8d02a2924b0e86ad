using System.Net;
using Jobs.Shared.Jobs;
using Jobs.Shared.Storage;
using Jobs.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Jobs.Tests.Seams;

/// <summary><c>deadlineSeconds</c>: a job not started by its client's deadline never starts and ends <c>expired</c>, paying nothing.</summary>
public sealed class ClientDeadlineTests
{
    [Test]
    public async Task A_job_first_claimed_after_its_deadline_fails_expired_without_a_Bedrock_call()
    {
        var stack = await TestStack.GetAsync();
        await using var consumer = new ConsumerHarness(stack);
        var prompt = "late for its deadline " + Guid.NewGuid().ToString("N")[..8];
        var submitted = DateTimeOffset.UtcNow.AddSeconds(-10);
        var job = await consumer.CreateQueuedAsync(prompt, createdAt: submitted, shape: j => j with { DueAt = submitted, StartBy = submitted.AddSeconds(5) });

        var redeliver = await consumer.InvokeAsync(ConsumerHarness.MessageFor(job.Id));

        var after = await stack.Services.GetRequiredService<IJobStore>().GetAsync(job.Id, CancellationToken.None);
        Assert.That(redeliver, Is.Empty);
        Assert.That(after!.Status, Is.EqualTo(JobStatus.Failed));
        Assert.That(after.Error!.Code, Is.EqualTo(JobErrorCodes.Expired));
        Assert.That(after.Error.Message, Does.Contain("deadline"));
        Assert.That(stack.Bedrock.LedgerFor(prompt), Is.Null, "Bedrock was never called for it");
    }

    [Test]
    public async Task A_job_claimed_before_its_deadline_runs()
    {
        var stack = await TestStack.GetAsync();
        await using var consumer = new ConsumerHarness(stack);
        var job = await consumer.CreateQueuedAsync("in time " + Guid.NewGuid().ToString("N")[..8], shape: j => j with { DueAt = j.CreatedAt, StartBy = j.CreatedAt.AddMinutes(5) });

        await consumer.InvokeAsync(ConsumerHarness.MessageFor(job.Id));

        var after = await stack.Services.GetRequiredService<IJobStore>().GetAsync(job.Id, CancellationToken.None);
        Assert.That(after!.Status, Is.EqualTo(JobStatus.Succeeded));
        Assert.That(after.StartBy, Is.EqualTo(job.StartBy), "the deadline is kept on the item");
    }

    [TestCase("0")]
    [TestCase("86401")]
    [TestCase("\"soon\"")]
    public async Task A_deadline_outside_1_second_to_a_day_is_a_400_naming_it(string value)
    {
        var stack = await TestStack.GetAsync();
        using var api = new ApiCalls(stack);

        using var response = await api.PostJsonAsync("jobs", $"{{\"prompt\":\"x\",\"deadlineSeconds\":{value}}}");

        var problem = await ApiCalls.ReadProblemAsync(response);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(problem.Errors!.Select(e => e.Field), Does.Contain("deadlineSeconds"));
    }

    [Test]
    public async Task The_job_shows_when_it_must_start_by()
    {
        var stack = await TestStack.GetAsync();
        using var api = new ApiCalls(stack);
        var before = DateTimeOffset.UtcNow;

        var job = await api.SubmitAsync("with a deadline", "\"deadlineSeconds\":600");

        Assert.That(job.StartBy, Is.EqualTo(job.CreatedAt.AddSeconds(600)));
        Assert.That(job.StartBy, Is.GreaterThan(before.AddSeconds(599)));
    }
}
