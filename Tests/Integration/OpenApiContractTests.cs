using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Jobs.Local.Hosting;
using Jobs.Producer.Api;
using Jobs.Shared.Jobs;
using Jobs.Tests.Support;
using Json.Schema;

namespace Jobs.Tests.Integration;

/// <summary>
/// The OpenAPI document against the API's real answers: every route and status the document lists
/// is driven through the local stack, and each answer's body and headers must be what the document
/// says, so a change on either side without the other fails here.
/// </summary>
public sealed class OpenApiContractTests
{
    /// <summary>Answers the local stack cannot be made to give on purpose: DynamoDB Local does not fail a write on request.</summary>
    private static readonly (string Path, string Method, int Status)[] NotDrivable = [("/jobs", "post", 503), ("/uploads", "post", 501)];

    private static readonly string[] DocumentedHeaders = ["location", "idempotent-replayed", "preference-applied", "retry-after"];

    private LocalStack _stack = null!;
    private ApiCalls _api = null!;
    private JsonObject _document = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _stack = await TestStack.GetAsync();
        _api = new ApiCalls(_stack);
        using var served = await _api.Http.GetAsync(new Uri("openapi.json", UriKind.Relative));
        Assert.That(served.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        _document = JsonNode.Parse(await served.Content.ReadAsStringAsync())!.AsObject();
    }

    [TearDown]
    public void Dispose() => _api.Dispose();

    [Test]
    [CancelAfter(120_000)]
    public async Task Every_documented_answer_is_what_the_API_really_answers(CancellationToken cancellationToken)
    {
        var driven = new List<(string Path, string Method, int Status)>();
        async Task CheckAsync(string path, HttpRequestMessage request)
        {
            using var response = await _api.Http.SendAsync(request, cancellationToken);
            driven.Add((path, request.Method.Method.ToLowerInvariant(), (int)response.StatusCode));
            await AssertDocumentedAsync(path, request.Method.Method.ToLowerInvariant(), response);
        }

        HttpRequestMessage Post(string uri, string json, string contentType = "application/json", params (string, string)[] headers)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, new Uri(uri, UriKind.Relative)) { Content = new StringContent(json, Encoding.UTF8) };
            request.Content.Headers.ContentType = new(contentType);
            foreach (var (name, value) in headers)
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }

            return request;
        }

        HttpRequestMessage Get(string uri, params (string, string)[] headers)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, new Uri(uri, UriKind.Relative));
            foreach (var (name, value) in headers)
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }

            return request;
        }

        var key = Guid.NewGuid().ToString();
        var done = await _api.WaitForFinalAsync((await _api.SubmitAsync("contract: finished", "\"seed\":5")).Id);
        await CheckAsync("/jobs", Post("jobs", "{\"prompt\":\"contract: accepted\"}", headers: ("Idempotency-Key", key)));
        await CheckAsync("/jobs", Post("jobs", "{\"prompt\":\"contract: waited\"}", headers: ("Prefer", "wait=20")));
        await CheckAsync("/jobs", Post("jobs", "{\"prompt\":\"contract: other body\"}", headers: ("Idempotency-Key", key)));
        await CheckAsync("/jobs", Post("jobs", "{\"prompt\":\"\"}"));
        await CheckAsync("/jobs", Post("jobs", "{\"prompt\":\"" + new string('x', 70_000) + "\"}"));
        await CheckAsync("/jobs", Post("jobs", "prompt=x", "text/plain"));
        await CheckAsync("/jobs", Get("jobs?status=succeeded&limit=2"));
        await CheckAsync("/jobs", Get("jobs?status=sideways"));
        await CheckAsync("/jobs/{id}", Get($"jobs/{done.Id}"));
        await CheckAsync("/jobs/{id}", Get("jobs/01a2220b-73b9-775f-894d-c555c0a38621"));
        await CheckAsync("/jobs/{id}/cancel", Post($"jobs/{done.Id}/cancel", ""));
        await CheckAsync("/jobs/{id}/cancel", Post("jobs/01a2220b-73b9-775f-894d-c555c0a38621/cancel", ""));
        await using (var consumer = new ConsumerHarness(_stack))
        {
            var queued = await consumer.CreateQueuedAsync("contract: queued", shape: j => j with { DueAt = DateTimeOffset.UtcNow.AddHours(1) });
            await CheckAsync("/jobs/{id}/cancel", Post($"jobs/{queued.Id}/cancel", ""));
        }

        const string held = "contract: held in Bedrock";
        using (var gate = new BedrockGate(_stack.Bedrock.Options, held))
        {
            var running = await _api.SubmitAsync(held);
            await gate.Entered;
            await CheckAsync("/jobs/{id}", Get($"jobs/{running.Id}", ("Prefer", "wait=1")));
            await CheckAsync("/jobs/{id}/cancel", Post($"jobs/{running.Id}/cancel", ""));
            gate.Release();
            await _api.WaitForFinalAsync(running.Id);
        }

        const string unknown = "01a2220b-73b9-775f-894d-c555c0a38621";
        using (var made = await _api.PostJsonAsync("batches", "{\"items\":[{\"id\":\"C1\",\"prompt\":\"contract: a batch item\"}]}"))
        {
            var batchId = JsonNode.Parse(await made.Content.ReadAsStringAsync(cancellationToken))!["id"]!.GetValue<string>();
            await Eventually.WaitForAsync(
                async () => JsonNode.Parse(await _api.Http.GetStringAsync(new Uri($"batches/{batchId}", UriKind.Relative), cancellationToken))!,
                b => b["resultsUrl"] is not null,
                TimeSpan.FromSeconds(60),
                "the contract's batch to finish");
            await CheckAsync("/batches/{id}", Get($"batches/{batchId}"));
            await CheckAsync("/batches/{id}/jobs", Get($"batches/{batchId}/jobs?limit=5"));
            await CheckAsync("/batches/{id}/jobs", Get($"batches/{batchId}/jobs?from=-1"));
            await CheckAsync("/batches/{id}/cancel", Post($"batches/{batchId}/cancel", ""));
        }

        const string heldBatch = "contract: a batch item held in Bedrock";
        using (var gate = new BedrockGate(_stack.Bedrock.Options, heldBatch))
        {
            await CheckAsync("/batches", Post("batches", "{\"items\":[{\"id\":\"C2\",\"prompt\":\"" + heldBatch + "\"}]}"));
            await gate.Entered;
            var running = JsonNode.Parse(await _api.Http.GetStringAsync(new Uri("batches?limit=1", UriKind.Relative), cancellationToken))!["items"]![0]!["id"]!.GetValue<string>();
            await CheckAsync("/batches/{id}/cancel", Post($"batches/{running}/cancel", ""));
            gate.Release();
        }

        await CheckAsync("/batches", Post("batches", "{\"items\":[{\"prompt\":\"\"}]}"));
        await CheckAsync("/batches", Post("batches", "{\"items\":[{\"prompt\":\"" + new string('x', 6_300_000) + "\"}]}"));
        await CheckAsync("/batches", Get("batches?limit=1"));
        await CheckAsync("/batches", Get("batches?limit=0"));
        await CheckAsync("/batches/{id}", Get($"batches/{unknown}"));
        await CheckAsync("/batches/{id}/jobs", Get($"batches/{unknown}/jobs"));
        await CheckAsync("/batches/{id}/cancel", Post($"batches/{unknown}/cancel", ""));

        await CheckAsync("/uploads", Post("uploads", "{\"contentType\":\"image/png\"}"));
        await CheckAsync("/uploads", Post("uploads", "{\"contentType\":\"text/plain\"}"));
        var upload = await Uploads.UploadAsync(_api, TestImages.Scene(256, 256));
        var edit = await _api.PostJsonAsync("jobs", $"{{\"task\":\"inpaint\",\"prompt\":\"contract: an edit\",\"image\":\"{upload}\",\"growMask\":3}}");
        var editId = JsonNode.Parse(await edit.Content.ReadAsStringAsync(cancellationToken))!["id"]!.GetValue<string>();
        await _api.WaitForFinalAsync(editId);
        await CheckAsync("/jobs/{id}", Get($"jobs/{editId}"));

        await CheckAsync("/models", Get("models"));
        await CheckAsync("/openapi.json", Get("openapi.json"));

        var documented = Operations().SelectMany(o => o.Responses.Select(status => (o.Path, o.Method, status))).ToList();
        Assert.That(documented.Except(driven).Except(NotDrivable), Is.Empty, "every documented answer was driven");
        Assert.That(driven.Except(documented), Is.Empty, "every answer the API gave is documented");
    }

    [Test]
    public async Task A_job_that_changed_shape_would_fail_the_contract()
    {
        var job = await _api.SubmitAsync("contract: shape");
        using var response = await _api.Http.GetAsync(new Uri($"jobs/{job.Id}", UriKind.Relative));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        var schema = SchemaFor(ResponseFor("/jobs/{id}", "get", 200)!, "application/json")!;

        var extra = body.DeepClone().AsObject();
        extra["surprise"] = 1;
        var missing = body.DeepClone().AsObject();
        missing.Remove("status");
        var retyped = body.DeepClone().AsObject();
        retyped["attempts"] = "one";

        Assert.That(Validate(schema, body), Is.Empty, "the real answer fits");
        Assert.That(Validate(schema, extra), Is.Not.Empty, "a new field");
        Assert.That(Validate(schema, missing), Is.Not.Empty, "a field gone");
        Assert.That(Validate(schema, retyped), Is.Not.Empty, "a field of another type");
    }

    private async Task AssertDocumentedAsync(string path, string method, HttpResponseMessage response)
    {
        var status = (int)response.StatusCode;
        var described = ResponseFor(path, method, status);
        Assert.That(described, Is.Not.Null, $"{method.ToUpperInvariant()} {path} answered {status}, which the document does not list");
        var mediaType = response.Content.Headers.ContentType?.MediaType ?? string.Empty;
        var schema = SchemaFor(described!, mediaType);
        Assert.That(schema, Is.Not.Null, $"{method.ToUpperInvariant()} {path} {status} answered {mediaType}, which the document does not list");
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync());
        Assert.That(Validate(schema!, body), Is.Empty, $"{method.ToUpperInvariant()} {path} {status} body");
        var headers = described!["headers"]?.AsObject().Select(h => h.Key.ToLowerInvariant()).ToHashSet() ?? [];
        var sent = response.Headers.Select(h => h.Key).Concat(response.Content.Headers.Select(h => h.Key)).Select(h => h.ToLowerInvariant()).ToHashSet();
        foreach (var header in DocumentedHeaders.Where(sent.Contains))
        {
            Assert.That(headers, Does.Contain(header), $"{method.ToUpperInvariant()} {path} {status} sent the header {header}, which the document does not list");
        }
    }

    private IEnumerable<(string Path, string Method, int[] Responses)> Operations() =>
        _document["paths"]!.AsObject().SelectMany(path => path.Value!.AsObject().Select(op =>
            (path.Key, op.Key, op.Value!["responses"]!.AsObject().Select(r => int.Parse(r.Key, System.Globalization.CultureInfo.InvariantCulture)).ToArray())));

    private JsonObject? ResponseFor(string path, string method, int status)
    {
        var response = _document["paths"]?[path]?[method]?["responses"]?[status.ToString(System.Globalization.CultureInfo.InvariantCulture)]?.AsObject();
        return response?["$ref"]?.GetValue<string>() is { } reference
            ? _document["components"]!["responses"]![reference.Split('/')[^1]]!.AsObject()
            : response;
    }

    /// <summary>The response's schema for the media type, as a JSON Schema 2020-12 document carrying the components it refers to.</summary>
    private JsonSchema? SchemaFor(JsonObject response, string mediaType)
    {
        if (response["content"]?[mediaType]?["schema"] is not { } schema)
        {
            return null;
        }

        var text = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$id"] = $"https://contract.jobs.test/{Guid.NewGuid():N}",
            ["$defs"] = _document["components"]!["schemas"]!.DeepClone(),
            ["allOf"] = new JsonArray(schema.DeepClone()),
        }.ToJsonString().Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal);
        return JsonSchema.FromText(text);
    }

    private static List<string> Validate(JsonSchema schema, JsonNode? body)
    {
        using var json = JsonDocument.Parse(body?.ToJsonString() ?? "null");
        var result = schema.Evaluate(json.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        return result.IsValid ? [] : [.. (result.Details ?? []).Where(d => d.Errors is { Count: > 0 }).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))];
    }
}
