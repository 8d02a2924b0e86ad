using System.Net.Http.Headers;
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

    public void Dispose() => _http.Dispose();
}
