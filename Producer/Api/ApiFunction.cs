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
public sealed partial class ApiFunction(SubmitJob submit, GetJob get, ListJobs list, CancelJob cancel, ListModels models, ILogger<ApiFunction> logger)
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
            return (segments, method) switch
            {
                (["jobs"], "POST") => await submit.HandleAsync(request, context.Deadline, cancellationToken).ConfigureAwait(false),
                (["jobs"], "GET") => await list.HandleAsync(request, cancellationToken).ConfigureAwait(false),
                (["jobs"], _) => MethodNotAllowed(path, "GET, POST"),
                (["jobs", var id], "GET") => await get.HandleAsync(Uri.UnescapeDataString(id), path, PreferWait.Parse(request.Header("prefer")), context.Deadline, cancellationToken).ConfigureAwait(false),
                (["jobs", _], _) => MethodNotAllowed(path, "GET"),
                (["jobs", var id, "cancel"], "POST") => await cancel.HandleAsync(Uri.UnescapeDataString(id), path, cancellationToken).ConfigureAwait(false),
                (["jobs", _, "cancel"], _) => MethodNotAllowed(path, "POST"),
                (["models"], "GET") => models.Handle(),
                (["models"], _) => MethodNotAllowed(path, "GET"),
                _ => ApiResults.Problem(HttpStatusCode.NotFound, ProblemTypes.NotFound, "No such route", $"{method} {path} is not a route of this API.", path),
            };
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
