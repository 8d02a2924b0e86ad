using System.Net;
using Jobs.Producer.Jobs;
using Jobs.Producer.Models;
using Jobs.Shared.Lambda;
using Microsoft.Extensions.Logging;

namespace Jobs.Producer.Api;

/// <summary>
/// The Producer's Lambda handler: routes an HTTP API 2.0 event to its handler. Unknown paths get
/// 404 and known paths with the wrong method 405, each as a problem document; an unexpected
/// failure is logged and answered with a problem document rather than a bare 500 from the runtime.
/// </summary>
public sealed partial class ApiFunction(SubmitJob submit, GetJob get, ListJobs list, CancelJob cancel, ListModels models, Batches.SubmitBatch submitBatch, Batches.GetBatch getBatch, Batches.CancelBatch cancelBatch, Batches.ListBatches listBatches, Batches.ListBatchJobs batchJobs, Uploads.CreateUpload createUpload, ProducerOptions options, ILogger<ApiFunction> logger)
{
    public async Task<HttpApiResponse> HandleAsync(HttpApiRequest request, LambdaContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var method = request.RequestContext.Http.Method.ToUpperInvariant();
        var path = request.RawPath.Length > 1 ? request.RawPath.TrimEnd('/') : request.RawPath;
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        try
        {
            var allow = AllowedMethods(segments);
            var owner = CallerIdentity.OwnerOf(request, options);
            if (allow is not null && method == "OPTIONS")
            {
                return new HttpApiResponse { StatusCode = 204, Headers = new Dictionary<string, string> { ["allow"] = allow } };
            }

            // HEAD is GET without the body (RFC 9110): the same status and headers.
            var answer = (segments, method == "HEAD" ? "GET" : method) switch
            {
                (["jobs"], "POST") => await submit.HandleAsync(request, owner, context.Deadline, cancellationToken).ConfigureAwait(false),
                (["jobs"], "GET") => await list.HandleAsync(request, owner, cancellationToken).ConfigureAwait(false),
                (["jobs", var id], "GET") => await get.HandleAsync(Uri.UnescapeDataString(id), owner, path, PreferWait.Parse(request.Header("prefer")), context.Deadline, cancellationToken).ConfigureAwait(false),
                (["jobs", var id, "cancel"], "POST") => await cancel.HandleAsync(Uri.UnescapeDataString(id), owner, path, cancellationToken).ConfigureAwait(false),
                (["models"], "GET") => models.Handle(),
                (["batches"], "GET") => await listBatches.HandleAsync(request, owner, cancellationToken).ConfigureAwait(false),
                (["batches", var id, "jobs"], "GET") => await batchJobs.HandleAsync(Uri.UnescapeDataString(id), request, owner, path, cancellationToken).ConfigureAwait(false),
                (["batches"], "POST") => await submitBatch.HandleAsync(request, owner, cancellationToken).ConfigureAwait(false),
                (["batches", var id], "GET") => await getBatch.HandleAsync(Uri.UnescapeDataString(id), owner, path, cancellationToken).ConfigureAwait(false),
                (["batches", var id, "cancel"], "POST") => await cancelBatch.HandleAsync(Uri.UnescapeDataString(id), owner, path, cancellationToken).ConfigureAwait(false),
                (["uploads"], "POST") => await createUpload.HandleAsync(request, owner, cancellationToken).ConfigureAwait(false),
                (["openapi.json"], "GET") => OpenApiDocument.Response(),
                _ when allow is not null => MethodNotAllowed(path, allow),
                _ => ApiResults.Problem(HttpStatusCode.NotFound, ProblemTypes.NotFound, "No such route", $"{method} {path} is not a route of this API.", path),
            };
            return method == "HEAD" ? answer with { Body = null, IsBase64Encoded = false } : answer;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogUnhandled(logger, method, path, context.RequestId, ex);
            return ApiResults.Problem(
                HttpStatusCode.InternalServerError,
                ProblemTypes.Internal,
                "Internal error",
                $"The request failed on our side; nothing was changed by it. Request id: {context.RequestId}.",
                path);
        }
    }

    /// <summary>The methods a route answers (for <c>Allow</c>), or null when the path is no route.</summary>
    private static string? AllowedMethods(string[] segments) => segments switch
    {
        ["jobs"] => "GET, HEAD, POST, OPTIONS",
        ["jobs", _] => "GET, HEAD, OPTIONS",
        ["jobs", _, "cancel"] => "POST, OPTIONS",
        ["models"] => "GET, HEAD, OPTIONS",
        ["batches"] => "GET, HEAD, POST, OPTIONS",
        ["batches", _, "jobs"] => "GET, HEAD, OPTIONS",
        ["batches", _] => "GET, HEAD, OPTIONS",
        ["batches", _, "cancel"] => "POST, OPTIONS",
        ["uploads"] => "POST, OPTIONS",
        ["openapi.json"] => "GET, HEAD, OPTIONS",
        _ => null,
    };

    private static HttpApiResponse MethodNotAllowed(string path, string allow) =>
        ApiResults.Problem(
            HttpStatusCode.MethodNotAllowed,
            ProblemTypes.MethodNotAllowed,
            "Method not allowed",
            $"{path} allows {allow}.",
            path,
            headers: new Dictionary<string, string> { ["allow"] = allow });

    [LoggerMessage(Level = LogLevel.Error, Message = "{Method} {Path} failed (request {RequestId})")]
    private static partial void LogUnhandled(ILogger logger, string method, string path, string requestId, Exception exception);
}
