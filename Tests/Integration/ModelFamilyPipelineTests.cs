using System.Net;
using Jobs.Shared.Jobs;
using Jobs.Shared.Models;
using Jobs.Tests.Support;

namespace Jobs.Tests.Integration;

/// <summary>Every model family end to end through the local stack, and each family's content-filter form.</summary>
public sealed class ModelFamilyPipelineTests
{
    [TestCase(ModelCatalog.TitanV2, "\"width\":1152,\"height\":768,\"count\":2,\"quality\":\"premium\"", 2, 1152, 768)]
    [TestCase(ModelCatalog.NovaCanvas, "\"width\":1280,\"height\":720,\"style\":\"PHOTOREALISM\"", 1, 1280, 720)]
    [TestCase(ModelCatalog.Sdxl, "\"width\":1536,\"height\":640,\"steps\":30,\"style\":\"anime\"", 1, 1536, 640)]
    [TestCase(ModelCatalog.Sd35Large, "\"aspectRatio\":\"9:21\"", 1, 640, 1536)]
    public async Task Each_family_makes_images_of_the_requested_size(string model, string fields, int count, int width, int height)
    {
        var stack = await TestStack.GetAsync();
        using var api = new ApiCalls(stack);

        var job = await api.SubmitAsync($"a harbour at dawn for {model}", $"\"model\":\"{model}\",{fields}");
        var done = await api.WaitForFinalAsync(job.Id);

        Assert.That(done.Status, Is.EqualTo(JobStatus.Succeeded), done.Error?.Message);
        Assert.That(done.Images, Has.Count.EqualTo(count));
        Assert.That(done.Images.Select(i => (i.Width, i.Height)), Has.All.EqualTo((width, height)));
        using var http = new HttpClient();
        var png = await http.GetByteArrayAsync(done.Images[^1].Url);
        Assert.That(png[..4], Is.EqualTo(new byte[] { 0x89, 0x50, 0x4E, 0x47 }));
    }

    [TestCase(ModelCatalog.StableImageCore, "blocked-prompt", "Filter reason: prompt")]
    [TestCase(ModelCatalog.StableImageUltra, "blocked-output", "Filter reason: output image")]
    [TestCase(ModelCatalog.TitanV1, "blocked-prompt", "blocked by our content filters")]
    [TestCase(ModelCatalog.NovaCanvas, "blocked-output", "All of the generated images have been blocked")]
    [TestCase(ModelCatalog.Sdxl, "blocked-output", "CONTENT_FILTERED")]
    public async Task A_filtered_request_fails_with_content_filtered_and_stores_nothing(string model, string word, string reason)
    {
        var stack = await TestStack.GetAsync();
        var inbox = await TestStack.InboxAsync();
        using var api = new ApiCalls(stack);

        var job = await api.SubmitAsync($"a {word} scene", $"\"model\":\"{model}\"");
        var done = await api.WaitForFinalAsync(job.Id);
        var notice = await inbox.WaitForAsync(job.Id, "job.failed", TimeSpan.FromSeconds(20), CancellationToken.None);

        Assert.That(done.Status, Is.EqualTo(JobStatus.Failed));
        Assert.That(done.Error!.Code, Is.EqualTo(JobErrorCodes.ContentFiltered));
        Assert.That(done.Error.Message, Does.Contain(reason));
        Assert.That(done.Attempts, Is.EqualTo(1), "a filtered request is not retried");
        Assert.That(notice, Is.Not.Null);
        Assert.That(notice!.Notice["error"]!["code"]!.GetValue<string>(), Is.EqualTo("content_filtered"));
        var objects = await StoredImages.ForJobAsync(stack, job.Id);
        Assert.That(objects, Is.Empty);
    }

    [Test]
    public async Task A_request_breaking_a_models_rule_is_refused_before_anything_is_queued()
    {
        var stack = await TestStack.GetAsync();
        using var api = new ApiCalls(stack);

        using var response = await api.PostJsonAsync("jobs", $"{{\"prompt\":\"{new string('a', 600)}\",\"model\":\"{ModelCatalog.TitanV2}\",\"width\":1000,\"height\":1000}}");
        var problem = await ApiCalls.ReadProblemAsync(response);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(problem.Errors!.Select(e => e.Field), Is.EquivalentTo(new[] { "prompt", "width" }));
        Assert.That(problem.Errors!.Single(e => e.Field == "prompt").Message, Does.Contain("at most 512"));
    }

    [Test]
    public async Task The_catalog_shows_each_models_status_and_rules()
    {
        var stack = await TestStack.GetAsync();
        using var api = new ApiCalls(stack);

        var json = System.Text.Json.Nodes.JsonNode.Parse(await api.Http.GetStringAsync(new Uri("models", UriKind.Relative)))!;
        var models = json["items"]!.AsArray().ToDictionary(m => m!["id"]!.GetValue<string>(), m => m!);

        Assert.That(models.Keys, Is.EquivalentTo(ModelCatalog.Default.Models.Select(m => m.Id)));
        Assert.That(models[ModelCatalog.StableImageCore]["status"]!.GetValue<string>(), Is.EqualTo("active"));
        Assert.That(models[ModelCatalog.TitanV1]["status"]!.GetValue<string>(), Is.EqualTo("legacy"));
        Assert.That(models[ModelCatalog.Sdxl]["status"]!.GetValue<string>(), Is.EqualTo("end-of-life"));
        Assert.That(models[ModelCatalog.NovaCanvas]["endOfLife"]!.GetValue<string>(), Is.EqualTo("2026-09-30"));
        Assert.That(models[ModelCatalog.NovaCanvas]["rules"]!["freeSize"]!["multiple"]!.GetValue<int>(), Is.EqualTo(16));
        Assert.That(models[ModelCatalog.TitanV2]["rules"]!["promptMaxLength"]!.GetValue<int>(), Is.EqualTo(512));
        Assert.That(models[ModelCatalog.Sdxl]["rules"]!["steps"]!["max"]!.GetValue<double>(), Is.EqualTo(50));
    }
}
