using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Jobs.Local.Hosting;
using Jobs.Producer;
using Jobs.Producer.Api;
using Jobs.Producer.Jobs;
using Jobs.Tests.Support;

namespace Jobs.Tests.Integration;

/// <summary><c>Idempotency-Key</c> on <c>POST /jobs</c>: a retried request gets its first job back, never a second one.</summary>
public sealed class IdempotencyKeyTests
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
    public async Task The_same_key_and_body_answer_the_first_job_marked_as_replayed()
    {
        var key = Guid.NewGuid().ToString();
        var before = await _api.JobCountAsync();

        using var first = await PostAsync(key, "{\"prompt\":\"a harbour at dawn\",\"seed\":11}");
        // The same request as a client would resend it: other spacing, other key order.
        using var again = await PostAsync(key, "{ \"seed\": 11,  \"prompt\": \"a harbour at dawn\" }");

        var original = await ReadJobAsync(first);
        var replayed = await ReadJobAsync(again);
        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        Assert.That(first.Headers.Contains(IdempotencyKeys.ReplayedHeader), Is.False);
        Assert.That((int)again.StatusCode, Is.EqualTo(200).Or.EqualTo(202));
        Assert.That(again.Headers.GetValues(IdempotencyKeys.ReplayedHeader).Single(), Is.EqualTo("true"));
        Assert.That(replayed.Id, Is.EqualTo(original.Id));
        Assert.That(again.Headers.Location?.ToString(), Is.EqualTo($"/jobs/{original.Id}"));
        Assert.That(await _api.JobCountAsync(), Is.EqualTo(before + 1));
    }

    [Test]
    public async Task The_same_key_with_another_body_is_a_409_naming_the_header_and_makes_nothing()
    {
        var key = Guid.NewGuid().ToString();
        using var first = await PostAsync(key, "{\"prompt\":\"a lighthouse\"}");
        var original = await ReadJobAsync(first);
        var before = await _api.JobCountAsync();

        using var other = await PostAsync(key, "{\"prompt\":\"a different lighthouse\"}");

        var problem = await ApiCalls.ReadProblemAsync(other);
        Assert.That(other.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(problem.Type, Is.EqualTo(ProblemTypes.IdempotencyKeyReused));
        Assert.That(problem.Errors!.Single().Field, Is.EqualTo(IdempotencyKeys.Header));
        Assert.That(problem.Detail, Does.Contain(original.Id));
        Assert.That(await _api.JobCountAsync(), Is.EqualTo(before));
    }

    [Test]
    public async Task Racing_requests_with_one_key_make_one_job()
    {
        var key = Guid.NewGuid().ToString();
        var before = await _api.JobCountAsync();

        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            using var response = await PostAsync(key, "{\"prompt\":\"eight at once\"}");
            return ((int)response.StatusCode, (await ReadJobAsync(response)).Id, response.Headers.Contains(IdempotencyKeys.ReplayedHeader));
        }));

        Assert.That(answers.Select(a => a.Item1), Is.All.EqualTo(202).Or.EqualTo(200));
        Assert.That(answers.Select(a => a.Id).Distinct().Count(), Is.EqualTo(1), "every answer is the one job");
        Assert.That(answers.Count(a => !a.Item3), Is.EqualTo(1), "exactly one answer made it; the rest are replays");
        Assert.That(await _api.JobCountAsync(), Is.EqualTo(before + 1));
    }

    [TestCase("")]
    [TestCase("has a space")]
    public async Task A_key_that_is_not_visible_ASCII_of_1_to_255_characters_is_a_400(string key)
    {
        await AssertRefusedAsync(key);
    }

    [Test]
    public async Task A_key_longer_than_255_characters_is_a_400()
    {
        await AssertRefusedAsync(new string('k', 256));
    }

    [Test]
    public async Task Without_a_key_each_request_is_a_new_job()
    {
        var before = await _api.JobCountAsync();

        using var first = await _api.PostJsonAsync("jobs", "{\"prompt\":\"no key\"}");
        using var second = await _api.PostJsonAsync("jobs", "{\"prompt\":\"no key\"}");

        Assert.That((await ReadJobAsync(first)).Id, Is.Not.EqualTo((await ReadJobAsync(second)).Id));
        Assert.That(await _api.JobCountAsync(), Is.EqualTo(before + 2));
    }

    private async Task AssertRefusedAsync(string key)
    {
        var before = await _api.JobCountAsync();
        using var response = await PostAsync(key, "{\"prompt\":\"x\"}");

        var problem = await ApiCalls.ReadProblemAsync(response);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(problem.Errors!.Single().Field, Is.EqualTo(IdempotencyKeys.Header));
        Assert.That(await _api.JobCountAsync(), Is.EqualTo(before));
    }

    private async Task<HttpResponseMessage> PostAsync(string key, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("jobs", UriKind.Relative)) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(json)) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json");
        request.Headers.TryAddWithoutValidation(IdempotencyKeys.Header, key);
        return await _api.Http.SendAsync(request);
    }

    private static async Task<JobView> ReadJobAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.IsSuccessStatusCode, Is.True, body);
        return JsonSerializer.Deserialize(body, ProducerJsonContext.Default.JobView)!;
    }

}
