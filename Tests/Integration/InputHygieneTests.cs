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

/// <summary>What a body must be before anything is kept: real text, UTF-8, one value per key; and what HEAD and OPTIONS answer.</summary>
public sealed class InputHygieneTests
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

    [TestCase("\u200B\u200D\u2060")]
    [TestCase("\uFEFF \t\u0007")]
    [TestCase("\u202E\u200E  ")]
    public async Task A_prompt_of_only_invisible_characters_is_blank(string prompt)
    {
        var problem = await RefusedAsync(Encoding.UTF8.GetBytes($"{{\"prompt\":{JsonSerializer.Serialize(prompt)}}}"), HttpStatusCode.BadRequest);

        Assert.That(problem.Errors!.Single().Field, Is.EqualTo("prompt"));
    }

    [Test]
    public async Task A_body_that_is_not_UTF_8_is_a_400_not_a_repaired_prompt()
    {
        byte[] latin1 = [.. "{\"prompt\":\"caf"u8, 0xE9, .. "\"}"u8];

        var problem = await RefusedAsync(latin1, HttpStatusCode.BadRequest);

        Assert.That(problem.Type, Is.EqualTo(ProblemTypes.MalformedJson));
        Assert.That(problem.Detail, Does.Contain("UTF-8").And.Contain("byte"));
    }

    [Test]
    public async Task A_charset_other_than_UTF_8_is_a_415()
    {
        var problem = await RefusedAsync("{\"prompt\":\"cafe\"}"u8.ToArray(), HttpStatusCode.UnsupportedMediaType, "application/json; charset=iso-8859-1");

        Assert.That(problem.Detail, Does.Contain("iso-8859-1"));
    }

    [Test]
    public async Task A_key_given_twice_is_refused()
    {
        var problem = await RefusedAsync("{\"prompt\":\"a cat\",\"prompt\":\"a dog\"}"u8.ToArray(), HttpStatusCode.BadRequest);

        Assert.That(problem.Type, Is.EqualTo(ProblemTypes.MalformedJson));
    }

    [Test]
    public async Task An_integer_written_with_an_exponent_is_that_integer_and_a_fraction_is_not()
    {
        var job = await _api.SubmitAsync("exponents " + Guid.NewGuid().ToString("N")[..6], "\"seed\":1E2,\"count\":1.0");
        var problem = await RefusedAsync("{\"prompt\":\"x\",\"seed\":1.5}"u8.ToArray(), HttpStatusCode.BadRequest);

        Assert.That(job.Seed, Is.EqualTo(100));
        Assert.That(job.Count, Is.EqualTo(1));
        Assert.That(problem.Errors!.Single().Field, Is.EqualTo("seed"));
    }

    [Test]
    public async Task HEAD_answers_as_GET_without_a_body_and_OPTIONS_lists_the_methods()
    {
        var job = await _api.SubmitAsync("head and options");

        using var head = await _api.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, new Uri($"jobs/{job.Id}", UriKind.Relative)));
        using var options = await _api.Http.SendAsync(new HttpRequestMessage(HttpMethod.Options, new Uri("jobs", UriKind.Relative)));
        using var wrong = await _api.Http.SendAsync(new HttpRequestMessage(HttpMethod.Delete, new Uri("jobs", UriKind.Relative)));

        Assert.That(head.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(head.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
        Assert.That(await head.Content.ReadAsByteArrayAsync(), Is.Empty);
        Assert.That(options.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(options.Content.Headers.Allow, Is.EquivalentTo(new[] { "GET", "HEAD", "POST", "OPTIONS" }));
        Assert.That(wrong.StatusCode, Is.EqualTo(HttpStatusCode.MethodNotAllowed));
        Assert.That(wrong.Content.Headers.Allow, Does.Contain("POST"));
    }

    private async Task<ProblemDocument> RefusedAsync(byte[] body, HttpStatusCode expected, string contentType = "application/json")
    {
        var before = await _api.JobCountAsync();
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        using var response = await _api.Http.PostAsync(new Uri("jobs", UriKind.Relative), content);

        var problem = await ApiCalls.ReadProblemAsync(response);
        Assert.That(response.StatusCode, Is.EqualTo(expected), problem.Detail);
        Assert.That(await _api.JobCountAsync(), Is.EqualTo(before), "nothing was kept");
        return problem;
    }

}
