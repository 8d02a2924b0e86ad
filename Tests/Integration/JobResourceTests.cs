using System.Net;
using System.Text.Json;
using Jobs.Producer;
using Jobs.Producer.Jobs;
using Jobs.Shared.Jobs;
using Jobs.Shared.Models;
using Jobs.Tests.Support;

namespace Jobs.Tests.Integration;

/// <summary>The job resource carries its links, its timings and its model's lifecycle, and a canceled job no stale reason.</summary>
public sealed class JobResourceTests
{
    [Test]
    public async Task A_finished_job_links_itself_and_its_images_and_says_where_its_time_went()
    {
        var stack = await TestStack.GetAsync();
        using var api = new ApiCalls(stack);

        var submitted = await api.SubmitAsync("job resource " + Guid.NewGuid().ToString("N")[..6]);
        var done = await api.WaitForFinalAsync(submitted.Id);

        Assert.That(submitted.Urls.Self, Is.EqualTo($"/jobs/{submitted.Id}"));
        Assert.That(submitted.Urls.Cancel, Is.EqualTo($"/jobs/{submitted.Id}/cancel"), "a queued job can be canceled");
        Assert.That(done.Status, Is.EqualTo(JobStatus.Succeeded));
        Assert.That(done.Urls.Cancel, Is.Null, "a finished one cannot");
        Assert.That(done.Urls.Images, Is.EqualTo(done.Images.Select(i => i.Url)));
        Assert.That(done.Urls.Images, Has.Count.EqualTo(1));
        Assert.That(done.Metrics.Attempts, Is.EqualTo(1));
        Assert.That(done.Metrics.QueuedMs, Is.EqualTo((long)(done.StartedAt!.Value - done.CreatedAt).TotalMilliseconds).Within(1));
        Assert.That(done.Metrics.GenerateMs, Is.EqualTo((long)(done.CompletedAt!.Value - done.StartedAt.Value).TotalMilliseconds).Within(1));
        Assert.That(done.Metrics.TotalMs, Is.EqualTo(done.Metrics.QueuedMs + done.Metrics.GenerateMs).Within(2));
        Assert.That(done.ModelLifecycle, Is.EqualTo(ModelLifecycle.Active));
        using var image = await api.Http.GetAsync(done.Urls.Images[0]);
        Assert.That(image.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the link downloads the image");
    }

    [Test]
    public async Task A_job_canceled_while_waiting_for_capacity_shows_no_stale_throttled_error()
    {
        var stack = await TestStack.GetAsync();
        using var api = new ApiCalls(stack);
        await using var consumer = new ConsumerHarness(stack);
        var waiting = await consumer.CreateQueuedAsync(
            "waiting for capacity " + Guid.NewGuid().ToString("N")[..6],
            shape: j => j with { DueAt = DateTimeOffset.UtcNow.AddHours(1), Deferrals = 2, Error = new JobError(JobErrorCodes.AwaitingCapacity, "Waiting for its turn.") });

        using var cancel = await api.Http.PostAsync(new Uri($"jobs/{waiting.Id}/cancel", UriKind.Relative), null);
        var view = JsonSerializer.Deserialize(await cancel.Content.ReadAsStringAsync(), ProducerJsonContext.Default.JobView)!;

        Assert.That(cancel.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(view.Status, Is.EqualTo(JobStatus.Canceled));
        Assert.That(view.Error, Is.Null);
        Assert.That((await api.GetAsync(waiting.Id)).Error, Is.Null);
    }

    [Test]
    public async Task A_job_estimates_its_cost_from_the_models_price_at_its_quality_and_a_cached_one_costs_nothing()
    {
        var stack = await TestStack.GetAsync();
        using var api = new ApiCalls(stack);
        var prompt = "priced " + Guid.NewGuid().ToString("N")[..6];

        var core = await api.SubmitAsync(prompt);
        var premium = await api.SubmitAsync(prompt, "\"model\":\"amazon.titan-image-generator-v1\",\"quality\":\"premium\",\"count\":3");
        var first = await api.SubmitAsync(prompt + " seeded", "\"seed\":7");
        await api.WaitForFinalAsync(first.Id);
        using var repeat = await api.PostJsonAsync("jobs", $"{{\"prompt\":\"{prompt} seeded\",\"seed\":7}}");
        var again = JsonSerializer.Deserialize(await repeat.Content.ReadAsStringAsync(), ProducerJsonContext.Default.JobView)!;

        Assert.That(core.EstimatedCostUsd, Is.EqualTo(ModelCatalog.Default.Models.Single(m => m.Id == core.Model).Price!.Standard));
        Assert.That(premium.EstimatedCostUsd, Is.EqualTo(3 * ModelCatalog.Default.Models.Single(m => m.Id == "amazon.titan-image-generator-v1").Price!.Premium));
        Assert.That(again.Cached, Is.True);
        Assert.That(again.EstimatedCostUsd, Is.Zero, "no model was called");
    }
}
