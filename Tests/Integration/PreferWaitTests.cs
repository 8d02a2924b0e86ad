using System.Net;
using System.Text;
using System.Text.Json;
using Jobs.Local.Hosting;
using Jobs.Producer;
using Jobs.Producer.Jobs;
using Jobs.Shared.Jobs;
using Jobs.Tests.Support;

namespace Jobs.Tests.Integration;

/// <summary><c>Prefer: wait=N</c>: the answer waits for the job to finish, up to N seconds, and says so.</summary>
public sealed class PreferWaitTests
{
    private LocalStack _stack = null!;
    private ApiCalls _api = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _stack = await TestStack.GetAsync();
        _api = new ApiCalls(_stack);
    }

    [TearDown]
    public void Dispose() => _api.Dispose();

    [Test]
    public async Task A_wait_that_ends_before_the_job_answers_202_and_one_that_sees_it_finish_answers_200()
    {
        const string prompt = "prefer wait: held in Bedrock";
        using var gate = new BedrockGate(_stack.Bedrock.Options, prompt);
        var job = await _api.SubmitAsync(prompt);
        await gate.Entered;

        using var early = await GetAsync(job.Id, "wait=1");
        var waiting = GetAsync(job.Id, "wait=25");
        gate.Release();
        using var late = await waiting;

        Assert.That(early.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        Assert.That(early.Headers.GetValues("Preference-Applied").Single(), Is.EqualTo("wait=1"));
        Assert.That((await ReadAsync(early)).Status, Is.EqualTo(JobStatus.Running));
        Assert.That(late.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(late.Headers.GetValues("Preference-Applied").Single(), Is.EqualTo("wait=25"));
        Assert.That((await ReadAsync(late)).Status, Is.EqualTo(JobStatus.Succeeded));
    }

    [Test]
    public async Task A_submit_that_waits_answers_the_finished_job()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("jobs", UriKind.Relative))
        {
            Content = new StringContent("{\"prompt\":\"prefer wait: submit and wait\"}", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Prefer", "wait=20");

        using var response = await _api.Http.SendAsync(request);

        var job = await ReadAsync(response);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), job.Status.ToName());
        Assert.That(job.Status, Is.EqualTo(JobStatus.Succeeded));
        Assert.That(job.Images, Has.Count.EqualTo(1));
        Assert.That(response.Headers.Location?.ToString(), Is.EqualTo($"/jobs/{job.Id}"));
    }

    [Test]
    public async Task A_wait_longer_than_25_seconds_is_applied_as_25_and_without_Prefer_nothing_waits_or_changes()
    {
        var job = await _api.WaitForFinalAsync((await _api.SubmitAsync("prefer wait: finished")).Id);

        using var capped = await GetAsync(job.Id, "wait=100");
        using var plain = await GetAsync(job.Id, null);

        Assert.That(capped.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(capped.Headers.GetValues("Preference-Applied").Single(), Is.EqualTo("wait=25"));
        Assert.That(plain.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(plain.Headers.Contains("Preference-Applied"), Is.False);
    }

    [TestCase("wait=5", 5)]
    [TestCase("respond-async, wait=10", 10)]
    [TestCase("WAIT = 3", 3)]
    [TestCase("wait=\"7\"", 7)]
    [TestCase("wait=100", 25)]
    [TestCase("wait=-1", null)]
    [TestCase("wait=soon", null)]
    [TestCase("return=minimal", null)]
    [TestCase("", null)]
    public void The_wait_preference_is_read_as_RFC_7240_writes_it(string prefer, int? seconds)
    {
        Assert.That(PreferWait.Parse(prefer), Is.EqualTo(seconds));
    }

    private async Task<HttpResponseMessage> GetAsync(string id, string? prefer)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"jobs/{id}", UriKind.Relative));
        if (prefer is not null)
        {
            request.Headers.Add("Prefer", prefer);
        }

        return await _api.Http.SendAsync(request);
    }

    private static async Task<JobView> ReadAsync(HttpResponseMessage response) =>
        JsonSerializer.Deserialize(await response.Content.ReadAsStringAsync(), ProducerJsonContext.Default.JobView)!;
}
