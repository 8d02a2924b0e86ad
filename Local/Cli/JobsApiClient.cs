using Jobs.Shared.Requests;
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
    public async Task<(JobView? Job, ProblemDocument? Problem)> SubmitAsync(JobSubmission submission, CancellationToken cancellationToken, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("jobs", UriKind.Relative))
        {
            Content = new StringContent(JsonSerializer.Serialize(submission, ProducerJsonContext.Default.JobSubmission), Encoding.UTF8),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (idempotencyKey is not null)
        {
            request.Headers.TryAddWithoutValidation(IdempotencyKeys.Header, idempotencyKey);
        }

        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        return await ReadAsync(response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Uploads one input image: asks the API for a form (<c>POST /uploads</c>), then posts the file to
    /// S3 with it, unsigned (the form carries the signature). Returns the upload id for a job to name.
    /// </summary>
    public async Task<(string? UploadId, ProblemDocument? Problem)> UploadAsync(byte[] image, string contentType, CancellationToken cancellationToken)
    {
        using var asked = new StringContent($"{{\"contentType\":\"{JsonEncodedText.Encode(contentType)}\"}}", Encoding.UTF8);
        asked.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var created = await http.PostAsync(new Uri("uploads", UriKind.Relative), asked, cancellationToken).ConfigureAwait(false);
        var body = await created.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!created.IsSuccessStatusCode)
        {
            return (null, JsonSerializer.Deserialize(body, ProducerJsonContext.Default.ProblemDocument));
        }

        var upload = JsonSerializer.Deserialize(body, ProducerJsonContext.Default.UploadView)!;
        using var form = BrowserFormContent.Create(upload.Form.Fields, image, contentType);
        using var s3 = new HttpClient();
        using var posted = await s3.PostAsync(upload.Form.Url, form, cancellationToken).ConfigureAwait(false);
        if (!posted.IsSuccessStatusCode)
        {
            var detail = await posted.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            return (null, new ProblemDocument { Type = "about:blank", Title = "S3 refused the upload", Status = (int)posted.StatusCode, Detail = detail });
        }

        return (upload.Id, null);
    }

    /// <summary>The job; with <paramref name="waitSeconds"/>, held by the API until it is final or that long has passed.</summary>
    public async Task<(JobView? Job, ProblemDocument? Problem)> GetAsync(string id, CancellationToken cancellationToken, int? waitSeconds = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"jobs/{Uri.EscapeDataString(id)}", UriKind.Relative));
        if (waitSeconds is { } wait)
        {
            request.Headers.TryAddWithoutValidation("Prefer", $"wait={wait}");
        }

        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        return await ReadAsync(response, cancellationToken).ConfigureAwait(false);
    }

    public async Task<(JobView? Job, ProblemDocument? Problem)> CancelAsync(string id, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsync(new Uri($"jobs/{Uri.EscapeDataString(id)}/cancel", UriKind.Relative), null, cancellationToken).ConfigureAwait(false);
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

    /// <summary>Submits a batch body (<c>{"items": …}</c> or <c>{"manifest": …}</c>) as it is.</summary>
    public async Task<(Producer.Batches.BatchView? Batch, ProblemDocument? Problem)> SubmitBatchAsync(string body, CancellationToken cancellationToken)
    {
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await http.PostAsync(new Uri("batches", UriKind.Relative), content, cancellationToken).ConfigureAwait(false);
        return await ReadBatchAsync(response, cancellationToken).ConfigureAwait(false);
    }

    public async Task<(Producer.Batches.BatchView? Batch, ProblemDocument? Problem)> GetBatchAsync(string id, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(new Uri($"batches/{Uri.EscapeDataString(id)}", UriKind.Relative), cancellationToken).ConfigureAwait(false);
        return await ReadBatchAsync(response, cancellationToken).ConfigureAwait(false);
    }

    public async Task<string> GetTextAsync(Uri url, CancellationToken cancellationToken) =>
        Encoding.UTF8.GetString(await DownloadAsync(url, cancellationToken).ConfigureAwait(false));

    private static async Task<(Producer.Batches.BatchView?, ProblemDocument?)> ReadBatchAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        return response.IsSuccessStatusCode
            ? (JsonSerializer.Deserialize(body, ProducerJsonContext.Default.BatchView), null)
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
