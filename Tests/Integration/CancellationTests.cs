using System.Net;
using Jobs.Shared.Jobs;
using Jobs.Tests.Support;

namespace Jobs.Tests.Integration;

/// <summary><c>POST /jobs/{id}/cancel</c> in each state: queued, running, finished, already canceled, unknown.</summary>
public sealed class CancellationTests
{
    [Test]
    public async Task A_queued_job_is_canceled_at_once_and_its_message_only_sends_the_notice()
    {
        var stack = await TestStack.GetAsync();
        var inbox = await TestStack.InboxAsync();
        using var api = new ApiCalls(stack);
        await using var consumer = new ConsumerHarness(stack);
        var job = await consumer.CreateQueuedAsync("cancel me while queued");

        using var response = await api.PostJsonAsync($"jobs/{job.Id}/cancel", "{}");
        var view = await api.GetAsync(job.Id);
        var redeliver = await consumer.InvokeAsync(ConsumerHarness.MessageFor(job.Id));
        var notice = await inbox.WaitForAsync(job.Id, "job.canceled", TimeSpan.FromSeconds(20), CancellationToken.None);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(view.Status, Is.EqualTo(JobStatus.Canceled));
        Assert.That(redeliver, Is.Empty);
        Assert.That(stack.Bedrock.GenerationsFor("cancel me while queued"), Is.Zero);
        Assert.That(notice, Is.Not.Null);
    }

    [Test]
    public async Task A_running_job_is_canceled_before_its_result_is_stored()
    {
        var stack = await TestStack.GetAsync();
        var inbox = await TestStack.InboxAsync();
        using var api = new ApiCalls(stack);
        const string prompt = "cancel me while running";
        using var gate = new BedrockGate(stack.Bedrock.Options, prompt);
        var job = await api.SubmitAsync(prompt);
        await gate.Entered;

        using var response = await api.PostJsonAsync($"jobs/{job.Id}/cancel", "{}");
        var marked = await api.GetAsync(job.Id);
        gate.Release();
        var done = await api.WaitForFinalAsync(job.Id);
        var notice = await inbox.WaitForAsync(job.Id, "job.canceled", TimeSpan.FromSeconds(20), CancellationToken.None);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        Assert.That((marked.Status, marked.CancelRequestedAt.HasValue), Is.EqualTo((JobStatus.Running, true)));
        Assert.That(done.Status, Is.EqualTo(JobStatus.Canceled));
        Assert.That(done.Images, Is.Empty);
        Assert.That(notice, Is.Not.Null);
        var objects = await StoredImages.ForJobAsync(stack, job.Id);
        Assert.That(objects, Is.Empty, "the result was dropped, not stored");
    }

    [Test]
    public async Task A_finished_job_answers_409_and_a_canceled_one_answers_again_without_change()
    {
        var stack = await TestStack.GetAsync();
        using var api = new ApiCalls(stack);
        await using var consumer = new ConsumerHarness(stack);
        var finished = await api.SubmitAsync("finished before the cancel");
        await api.WaitForFinalAsync(finished.Id);
        var canceled = await consumer.CreateQueuedAsync("canceled twice");

        using var conflict = await api.PostJsonAsync($"jobs/{finished.Id}/cancel", "{}");
        var problem = await ApiCalls.ReadProblemAsync(conflict);
        using var once = await api.PostJsonAsync($"jobs/{canceled.Id}/cancel", "{}");
        using var twice = await api.PostJsonAsync($"jobs/{canceled.Id}/cancel", "{}");
        using var unknown = await api.PostJsonAsync($"jobs/{Guid.CreateVersion7():D}/cancel", "{}");
        using var wrongMethod = await api.Http.GetAsync(new Uri($"jobs/{canceled.Id}/cancel", UriKind.Relative));

        Assert.That(conflict.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(problem.Type, Is.EqualTo("/problems/conflict"));
        Assert.That(problem.Detail, Does.Contain("succeeded"));
        Assert.That((once.StatusCode, twice.StatusCode), Is.EqualTo((HttpStatusCode.OK, HttpStatusCode.OK)));
        Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(wrongMethod.StatusCode, Is.EqualTo(HttpStatusCode.MethodNotAllowed));
        Assert.That((await api.GetAsync(finished.Id)).Status, Is.EqualTo(JobStatus.Succeeded));
    }
}
