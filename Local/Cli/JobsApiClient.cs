using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Jobs.Producer;
using Jobs.Producer.Api;
using Jobs.Producer.Jobs;
using Jobs.Shared.Jobs;
using Jobs.Shared.Json;

namespace Jobs.Local.Cli;

/// <summary>A small client of the Jobs HTTP API, for the CLI commands.</summary>
public sealed class JobsApiClient(HttpClient http)
{
    public async Task<(JobView? Job, ProblemDocument? Problem)> SubmitAsync(JobSubmission submission, CancellationToken cancellationToken)
    {
        using var content = new StringContent(JsonSerializer.Serialize(submission, ProducerJsonContext.Default.JobSubmission), Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await http.PostAsync(new Uri("jobs", UriKind.Relative), content, cancellationToken).ConfigureAwait(false);
        return await ReadAsync(response, cancellationToken).ConfigureAwait(false);
    }

    public async Task<(JobView? Job, ProblemDocument? Problem)> GetAsync(string id, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(new Uri($"jobs/{Uri.EscapeDataString(id)}", UriKind.Relative), cancellationToken).ConfigureAwait(false);
        return await ReadAsync(response, cancellationToken).ConfigureAwait(false);
    }

    public async Task<(JobListView? Page, ProblemDocument? Problem)> ListAsync(string status, int limit, string? cursor, CancellationToken cancellationToken)
    {
        var query = $"jobs?status={Uri.EscapeDataString(status)}&limit={limit}" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}");
        using var response = await http.GetAsync(new Uri(query, UriKind.Relative), cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        return response.IsSuccessStatusCode
            ? (JsonSerializer.Deserialize(body, ProducerJsonContext.Default.JobListView), null)
            : (null, JsonSerializer.Deserialize(body, ProducerJsonContext.Default.ProblemDocument));
    }

    public async Task<byte[]> DownloadAsync(Uri url, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(url, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"Downloading {url} answered {(int)response.StatusCode}.");
        }

        return await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<(JobView?, ProblemDocument?)> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        return response.IsSuccessStatusCode
            ? (JsonSerializer.Deserialize(body, ProducerJsonContext.Default.JobView), null)
            : (null, JsonSerializer.Deserialize(body, ProducerJsonContext.Default.ProblemDocument));
    }
}
