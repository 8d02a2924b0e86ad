using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Jobs.Shared.Json;

namespace Jobs.Shared.Lambda;

/// <summary>
/// <see cref="ILambdaRuntimeApi"/> over HTTP at <c>AWS_LAMBDA_RUNTIME_API</c>. It stands in for
/// Amazon.Lambda.RuntimeSupport, which this build cannot reach.
/// </summary>
public sealed class LambdaRuntimeApiClient(HttpClient http) : ILambdaRuntimeApi
{
    private const string Prefix = "2018-06-01/runtime/";

    /// <summary>A client for the Runtime API at <paramref name="hostAndPort"/> (the value of <c>AWS_LAMBDA_RUNTIME_API</c>).</summary>
    public static LambdaRuntimeApiClient Create(string hostAndPort) => new(new HttpClient
    {
        BaseAddress = new Uri($"http://{hostAndPort}/"),
        // /next blocks until an event arrives, which may be a long while.
        Timeout = Timeout.InfiniteTimeSpan,
    });

    public async Task<LambdaInvocation> NextAsync(CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(new Uri(Prefix + "invocation/next", UriKind.Relative), cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        var payload = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var requestId = Header(response, "Lambda-Runtime-Aws-Request-Id")
            ?? throw new InvalidOperationException("The Runtime API sent an invocation without Lambda-Runtime-Aws-Request-Id.");
        var deadline = long.TryParse(Header(response, "Lambda-Runtime-Deadline-Ms"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms)
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : DateTimeOffset.MaxValue;
        return new LambdaInvocation(
            new LambdaContext(requestId, deadline, Header(response, "Lambda-Runtime-Invoked-Function-Arn"), Header(response, "Lambda-Runtime-Trace-Id")),
            payload);
    }

    public async Task RespondAsync(string requestId, byte[] response, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(response);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var answer = await http.PostAsync(new Uri($"{Prefix}invocation/{Uri.EscapeDataString(requestId)}/response", UriKind.Relative), content, cancellationToken).ConfigureAwait(false);
        answer.EnsureSuccessStatusCode();
    }

    public Task ReportErrorAsync(string requestId, LambdaError error, CancellationToken cancellationToken) =>
        PostErrorAsync($"{Prefix}invocation/{Uri.EscapeDataString(requestId)}/error", error, cancellationToken);

    public Task ReportInitErrorAsync(LambdaError error, CancellationToken cancellationToken) =>
        PostErrorAsync($"{Prefix}init/error", error, cancellationToken);

    private async Task PostErrorAsync(string path, LambdaError error, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(error, JobsJsonContext.Default.LambdaError));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = content };
        request.Headers.TryAddWithoutValidation("Lambda-Runtime-Function-Error-Type", "Runtime." + error.ErrorType);
        using var answer = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        answer.EnsureSuccessStatusCode();
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}
