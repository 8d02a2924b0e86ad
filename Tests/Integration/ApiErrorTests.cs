using System.Net;
using Jobs.Local.Hosting;
using Jobs.Tests.Support;
using Jobs.Producer;

namespace Jobs.Tests.Integration;

/// <summary>Every client mistake gets its own 4xx problem document, and none of them leaves a job behind.</summary>
public sealed class ApiErrorTests
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

    [TestCase("{}", "prompt")]
    [TestCase("{\"prompt\":\"x\",\"aspectRatio\":\"7:3\"}", "aspectRatio")]
    [TestCase("{\"prompt\":\"x\",\"width\":512}", "width")]
    [TestCase("{\"prompt\":\"x\",\"seed\":-1}", "seed")]
    [TestCase("{\"prompt\":\"x\",\"count\":3}", "count")]
    [TestCase("{\"prompt\":\"x\",\"model\":\"acme.painter-v1\"}", "model")]
    [TestCase("{\"prompt\":\"x\",\"colour\":\"red\"}", "colour")]
    [TestCase("{\"prompt\":\"x\",\"seed\":\"seven\"}", "seed")]
    public async Task An_invalid_request_is_a_400_naming_the_field_and_creates_nothing(string body, string field)
    {
        var before = await _api.JobCountAsync();

        using var response = await _api.PostJsonAsync("jobs", body);
        var problem = await ApiCalls.ReadProblemAsync(response);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(problem.Status, Is.EqualTo(400));
        Assert.That(problem.Errors!.Select(e => e.Field), Does.Contain(field));
        Assert.That(problem.Instance, Is.EqualTo("/jobs"));
        Assert.That(await _api.JobCountAsync(), Is.EqualTo(before));
    }

    [TestCase("{\"prompt\": ")]
    [TestCase("[1,2,3]")]
    [TestCase("null")]
    [TestCase("")]
    public async Task Malformed_JSON_is_a_400_with_its_own_problem_type(string body)
    {
        using var response = await _api.PostJsonAsync("jobs", body);
        var problem = await ApiCalls.ReadProblemAsync(response);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(problem.Type, Is.EqualTo("/problems/malformed-json"));
    }

    [Test]
    public async Task A_body_that_is_not_JSON_by_content_type_is_a_415()
    {
        using var response = await _api.PostJsonAsync("jobs", "prompt=x", "application/x-www-form-urlencoded");
        var problem = await ApiCalls.ReadProblemAsync(response);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.UnsupportedMediaType));
        Assert.That(problem.Detail, Does.Contain("application/json"));
    }

    [Test]
    public async Task An_oversized_body_is_a_413()
    {
        using var response = await _api.PostJsonAsync("jobs", $"{{\"prompt\":\"{new string('a', 70_000)}\"}}");
        var problem = await ApiCalls.ReadProblemAsync(response);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
        Assert.That(problem.Type, Is.EqualTo("/problems/payload-too-large"));
    }

    [Test]
    public async Task An_unknown_route_is_a_404_and_a_wrong_method_a_405_with_allow()
    {
        using var unknown = await _api.Http.GetAsync(new Uri("nothing-here", UriKind.Relative));
        using var wrongMethod = await _api.Http.DeleteAsync(new Uri("jobs", UriKind.Relative));

        Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await ApiCalls.ReadProblemAsync(unknown)).Type, Is.EqualTo("/problems/not-found"));
        Assert.That(wrongMethod.StatusCode, Is.EqualTo(HttpStatusCode.MethodNotAllowed));
        Assert.That(wrongMethod.Content.Headers.Allow, Is.EquivalentTo(new[] { "GET", "HEAD", "POST", "OPTIONS" }));
    }

    [TestCase("jobs/01900000-0000-7000-8000-000000000000")]
    [TestCase("jobs/not-an-id")]
    public async Task An_unknown_job_is_a_404(string path)
    {
        using var response = await _api.Http.GetAsync(new Uri(path, UriKind.Relative));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await ApiCalls.ReadProblemAsync(response)).Title, Is.EqualTo("Job not found"));
    }

    [TestCase("jobs", "status")]
    [TestCase("jobs?status=done", "status")]
    [TestCase("jobs?status=failed&limit=0", "limit")]
    [TestCase("jobs?status=failed&limit=101", "limit")]
    [TestCase("jobs?status=failed&cursor=abc", "cursor")]
    [TestCase("jobs?status=failed&model=acme.painter-v1", "model")]
    [TestCase("jobs?status=failed&createdAfter=yesterday", "createdAfter")]
    [TestCase("jobs?status=failed&createdAfter=2026-12-02T00:00:00Z&createdBefore=2026-12-01T00:00:00Z", "createdBefore")]
    public async Task A_bad_status_query_is_a_400_naming_the_parameter(string path, string field)
    {
        using var response = await _api.Http.GetAsync(new Uri(path, UriKind.Relative));
        var problem = await ApiCalls.ReadProblemAsync(response);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(problem.Errors!.Select(e => e.Field), Does.Contain(field));
    }

    [Test]
    public async Task The_models_route_lists_the_catalog_with_the_default_marked()
    {
        using var response = await _api.Http.GetAsync(new Uri("models", UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        var models = System.Text.Json.JsonSerializer.Deserialize(body, Producer.ProducerJsonContext.Default.ModelListView)!;

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(models.DefaultModel, Is.EqualTo("stability.stable-image-core-v1:1"));
        Assert.That(models.Items.Single(m => m.IsDefault).Id, Is.EqualTo(models.DefaultModel));
        Assert.That(models.Items.Select(m => m.Id), Is.SupersetOf(new[] { "stability.sd3-5-large-v1:0", "stability.stable-image-ultra-v1:1" }));
    }
}
