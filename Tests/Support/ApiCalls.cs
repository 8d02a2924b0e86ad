using System.Net.Http.Headers;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Microsoft.Extensions.DependencyInjection;
using System.Text;
using System.Text.Json;
using Jobs.Local.Hosting;
using Jobs.Producer;
using Jobs.Producer.Api;
using Jobs.Producer.Jobs;
using Jobs.Shared.Jobs;

namespace Jobs.Tests.Support;

/// <summary>Raw HTTP calls to the local API, so tests see exactly what a client sees.</summary>
public sealed class ApiCalls(LocalStack stack) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = stack.Api.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    public HttpClient Http => _http;

    public async Task<HttpResponseMessage> PostJsonAsync(string path, string json, string contentType = "application/json")
    {
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(json));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return await _http.PostAsync(new Uri(path, UriKind.Relative), content).ConfigureAwait(false);
    }

    public async Task<JobView> SubmitAsync(string prompt, string? extra = null)
    {
        using var response = await PostJsonAsync("jobs", $"{{\"prompt\":{JsonSerializer.Serialize(prompt)}{(extra is null ? "" : "," + extra)}}}").ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        Assert.That((int)response.StatusCode, Is.EqualTo(202), body);
        return JsonSerializer.Deserialize(body, ProducerJsonContext.Default.JobView)!;
    }

    public async Task<JobView> GetAsync(string id)
    {
        using var response = await _http.GetAsync(new Uri($"jobs/{id}", UriKind.Relative)).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        Assert.That((int)response.StatusCode, Is.EqualTo(200), body);
        return JsonSerializer.Deserialize(body, ProducerJsonContext.Default.JobView)!;
    }

    public Task<JobView> WaitForFinalAsync(string id, TimeSpan? timeout = null) =>
        Eventually.WaitForAsync(() => GetAsync(id), j => j.Status.IsTerminal(), timeout ?? TimeSpan.FromSeconds(60), $"job {id} to finish");

    public static async Task<ProblemDocument> ReadProblemAsync(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        var body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        return JsonSerializer.Deserialize(body, ProducerJsonContext.Default.ProblemDocument)!;
    }

    /// <summary>Job items in the table now (idempotency, pace and cache items have no status), read consistently.</summary>
    /// <summary>Every job in the table, page by page: a scan's count covers one 1 MB page only.</summary>
    public async Task<int> JobCountAsync()
    {
        var count = 0;
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var page = await stack.Services.GetRequiredService<IAmazonDynamoDB>().ScanAsync(new ScanRequest
            {
                TableName = stack.Options.TableName,
                Select = Select.COUNT,
                ConsistentRead = true,
                FilterExpression = "attribute_exists(#status) AND NOT begins_with(jobId, :batch)",
                ExpressionAttributeNames = new() { ["#status"] = "status" },
                ExpressionAttributeValues = new() { [":batch"] = new AttributeValue { S = "batch#" } },
                ExclusiveStartKey = start,
            }).ConfigureAwait(false);
            count += page.Count ?? 0;
            start = page.LastEvaluatedKey is { Count: > 0 } next ? next : null;
        }
        while (start is not null);

        return count;
    }

    public void Dispose() => _http.Dispose();
}
