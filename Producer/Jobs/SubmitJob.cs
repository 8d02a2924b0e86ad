using Jobs.Shared.Requests;
using System.Net;
using Amazon.Runtime;
using System.Text;
using System.Text.Json;
using Jobs.Producer.Api;
using Jobs.Shared.Jobs;
using Jobs.Shared.Json;
using Jobs.Shared.Lambda;
using Jobs.Shared.Queue;
using Jobs.Shared.Storage;
using Microsoft.Extensions.Logging;

namespace Jobs.Producer.Jobs;

/// <summary>
/// <c>POST /jobs</c>: validate, write the job as queued, send its message, answer 202.
/// The job is written before the message so the consumer always finds it. The item is the truth:
/// once it is written the job is accepted, and a send that fails is left to the reconciler; only a
/// failed write is a <c>503</c>.
/// </summary>
public sealed partial class SubmitJob(
    JobRequestValidator validator,
    IJobStore store,
    IJobQueue queue,
    IResultCache cache,
    JobViews views,
    JobWaiter waiter,
    Uploads.InputResolver inputs,
    JobStoreOptions storeOptions,
    ProducerOptions options,
    TimeProvider time,
    ILogger<SubmitJob> logger)
{
    /// <summary>Handles one <c>POST /jobs</c>; the invocation's <paramref name="deadline"/> bounds a <c>Prefer: wait</c>.</summary>
    public async Task<HttpApiResponse> HandleAsync(HttpApiRequest request, string owner, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var path = request.RawPath;
        var contentType = request.Header("content-type");
        if (!IsJson(contentType))
        {
            return ApiResults.Problem(
                HttpStatusCode.UnsupportedMediaType,
                ProblemTypes.UnsupportedMediaType,
                "Unsupported media type",
                $"The body must be JSON sent with Content-Type: application/json (got '{contentType ?? "none"}').",
                path);
        }

        if (NotUtf8Charset(contentType) is { } charset)
        {
            return ApiResults.Problem(
                HttpStatusCode.UnsupportedMediaType,
                ProblemTypes.UnsupportedMediaType,
                "Unsupported media type",
                $"JSON is UTF-8 (RFC 8259); the body was declared charset={charset}. Send it as UTF-8, with no charset or charset=utf-8.",
                path);
        }

        var idempotencyKey = request.Header(IdempotencyKeys.Header);
        if (idempotencyKey is not null && IdempotencyKeys.Problem(idempotencyKey) is { } keyProblem)
        {
            return ApiResults.Problem(
                HttpStatusCode.BadRequest,
                ProblemTypes.Validation,
                "The request is not valid",
                $"{IdempotencyKeys.Header} {keyProblem}",
                path,
                [new FieldError(IdempotencyKeys.Header, keyProblem)]);
        }

        byte[] body;
        try
        {
            body = request.Body is null ? []
                : request.IsBase64Encoded ? Convert.FromBase64String(request.Body)
                : Encoding.UTF8.GetBytes(request.Body);
        }
        catch (FormatException)
        {
            return ApiResults.Problem(HttpStatusCode.BadRequest, ProblemTypes.MalformedJson, "Malformed body", "The body could not be decoded.", path);
        }

        if (InvalidUtf8At(body) is { } offset)
        {
            return ApiResults.Problem(HttpStatusCode.BadRequest, ProblemTypes.MalformedJson, "Malformed body", $"The body is not valid UTF-8 (at byte {offset}); nothing in it was read.", path);
        }

        if (body.Length > options.MaxBodyBytes)
        {
            return ApiResults.Problem(
                HttpStatusCode.RequestEntityTooLarge,
                ProblemTypes.PayloadTooLarge,
                "Request body too large",
                $"The body is {body.Length} bytes; the limit is {options.MaxBodyBytes}.",
                path);
        }

        if (body.Length == 0)
        {
            return ApiResults.Problem(HttpStatusCode.BadRequest, ProblemTypes.MalformedJson, "Malformed JSON", "The body is empty; send a JSON object such as {\"prompt\": \"...\"}.", path);
        }

        JobSubmission? submission;
        try
        {
            submission = JsonSerializer.Deserialize(body, ProducerJsonContext.Default.JobSubmission);
        }
        catch (JsonException ex)
        {
            var field = FieldFromPath(ex.Path);
            return ApiResults.Problem(
                HttpStatusCode.BadRequest,
                ProblemTypes.MalformedJson,
                "Malformed JSON",
                field is null
                    ? $"The body is not a valid JSON object ({FirstSentence(ex.Message)})."
                    : $"The value of '{field}' has the wrong type or is not valid JSON.",
                path,
                field is null ? null : [new FieldError(field, "has the wrong type or is not valid JSON.")]);
        }

        if (submission is null)
        {
            return ApiResults.Problem(HttpStatusCode.BadRequest, ProblemTypes.MalformedJson, "Malformed JSON", "The body must be a JSON object, not null.", path);
        }

        var outcome = validator.Validate(submission);
        if (!outcome.IsValid)
        {
            return ApiResults.Problem(
                HttpStatusCode.BadRequest,
                ProblemTypes.Validation,
                "The request is not valid",
                string.Join(" ", outcome.Errors.Select(e => $"{e.Field} {e.Message}")),
                path,
                outcome.Errors);
        }

        var (resolved, inputErrors) = await inputs.ResolveAsync(outcome.Request!, owner, cancellationToken).ConfigureAwait(false);
        if (resolved is null)
        {
            return ApiResults.Problem(
                HttpStatusCode.BadRequest,
                ProblemTypes.Validation,
                "The request is not valid",
                string.Join(" ", inputErrors.Select(e => $"{e.Field} {e.Message}")),
                path,
                inputErrors);
        }

        var now = time.GetUtcNow();
        var job = new Job
        {
            Id = JobIds.New(time),
            Status = JobStatus.Queued,
            Request = resolved,
            CreatedAt = now,
            UpdatedAt = now,
            ExpiresAt = now + storeOptions.Retention,
            Dispatch = 1,
            DueAt = now,
            StartBy = submission.DeadlineSeconds is { } startWithin ? now.AddSeconds(startWithin) : null,
            Owner = owner,
        };

        // Never pay for the same image twice: a request identical to a recent one that fixed its seed
        // is answered with that one's images, finished at once. Its message still goes out, so the
        // consumer publishes its notice as for any finished job.
        if (submission.Cache != false && RequestFingerprint.For(job.Request) is { } fingerprint
            && await cache.FindAsync(fingerprint, cancellationToken).ConfigureAwait(false) is { } hit)
        {
            job = job with { Status = JobStatus.Succeeded, Images = hit.Images, CachedFrom = hit.JobId, CompletedAt = now, StartedAt = now, DueAt = null };
        }
        try
        {
            if (idempotencyKey is null)
            {
                await store.CreateAsync(job, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                // A key is the caller's own: another owner's same key is another key.
                var key = new IdempotencyRecord($"{JobTable.OwnerKey(owner)}:{idempotencyKey}", IdempotencyKeys.Hash(submission), job.Id, now + options.IdempotencyKeyLifetime);
                var created = await store.CreateWithKeyAsync(job, key, now, cancellationToken).ConfigureAwait(false);
                if (created.Existing is { } held)
                {
                    return await ReplayAsync(held, key, owner, path, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (AmazonServiceException ex)
        {
            LogWriteFailed(logger, job.Id, ex);
            return ApiResults.Problem(
                HttpStatusCode.ServiceUnavailable,
                ProblemTypes.Unavailable,
                "The job could not be recorded",
                "The job was not accepted; nothing was kept. Retry the request.",
                path,
                headers: new Dictionary<string, string> { ["retry-after"] = "1" });
        }

        // The job is accepted once its item is written: the item says its message is due now, so a
        // send that fails (or that the deadline cuts short) is the reconciler's to repeat, and the
        // client is never told to retry a job that exists.
        try
        {
            await queue.EnqueueAsync(new JobMessage(job.Id, job.Dispatch), TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Whatever stopped the send, the written job stands and the reconciler sends it.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogSendFailed(logger, job.Id, ex);
        }

        LogAccepted(logger, job.Id, job.Request.Model);
        var headers = new Dictionary<string, string> { ["location"] = $"/jobs/{job.Id}" };
        if (PreferWait.Parse(request.Header("prefer")) is { } seconds)
        {
            job = await waiter.WaitAsync(job, TimeSpan.FromSeconds(seconds), deadline, cancellationToken).ConfigureAwait(false);
            headers["preference-applied"] = $"wait={seconds}";
        }

        var view = await views.ToViewAsync(job, cancellationToken).ConfigureAwait(false);
        return ApiResults.Json(
            // A job already final (answered from the cache, or finished while the client waited): 200, not "accepted, come back later".
            job.Status.IsTerminal() ? (int)HttpStatusCode.OK : (int)HttpStatusCode.Accepted,
            view,
            ProducerJsonContext.Default.JobView,
            headers);
    }

    /// <summary>
    /// The answer to a request whose key an earlier request took: that request's job as it is now
    /// (200 when final, 202 when not, marked as replayed), or 409 when the body differs.
    /// </summary>
    private async Task<HttpApiResponse> ReplayAsync(IdempotencyRecord held, IdempotencyRecord asked, string owner, string path, CancellationToken cancellationToken)
    {
        var original = held.RequestHash == asked.RequestHash ? await store.GetAsync(held.JobId, cancellationToken).ConfigureAwait(false) : null;
        original = original?.Owner == owner ? original : null;
        if (original is null)
        {
            return ApiResults.Problem(
                HttpStatusCode.Conflict,
                ProblemTypes.IdempotencyKeyReused,
                "Idempotency key already used",
                held.RequestHash == asked.RequestHash
                    ? $"The job this {IdempotencyKeys.Header} made no longer exists; use a new key."
                    : $"This {IdempotencyKeys.Header} was used for a different request (job {held.JobId}) until {held.ExpiresAt:u}; use a new key for a new request.",
                path,
                [new FieldError(IdempotencyKeys.Header, "was used for a different request.")]);
        }

        LogReplayed(logger, original.Id);
        var view = await views.ToViewAsync(original, cancellationToken).ConfigureAwait(false);
        return ApiResults.Json(
            original.Status.IsTerminal() ? (int)HttpStatusCode.OK : (int)HttpStatusCode.Accepted,
            view,
            ProducerJsonContext.Default.JobView,
            new Dictionary<string, string> { ["location"] = $"/jobs/{original.Id}", [IdempotencyKeys.ReplayedHeader] = "true" });
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The offset of the first byte that is not UTF-8, or null when all are.</summary>
    private static int? InvalidUtf8At(byte[] body)
    {
        try
        {
            _ = StrictUtf8.GetCharCount(body);
            return null;
        }
        catch (DecoderFallbackException ex)
        {
            return Math.Max(ex.Index, 0);
        }
    }

    /// <summary>The charset a Content-Type declares when it is not UTF-8; null when it declares none or UTF-8.</summary>
    private static string? NotUtf8Charset(string? contentType)
    {
        foreach (var parameter in (contentType ?? string.Empty).Split(';').Skip(1))
        {
            var pair = parameter.Split('=', 2, StringSplitOptions.TrimEntries);
            if (pair.Length == 2 && pair[0].Equals("charset", StringComparison.OrdinalIgnoreCase))
            {
                var charset = pair[1].Trim('"');
                return charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) || charset.Equals("utf8", StringComparison.OrdinalIgnoreCase) ? null : charset;
            }
        }

        return null;
    }

    private static bool IsJson(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType))
        {
            return false;
        }

        var mediaType = contentType.Split(';')[0].Trim();
        return mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>"$.seed" → "seed"; "$" or nothing → null.</summary>
    private static string? FieldFromPath(string? jsonPath) =>
        jsonPath is null || jsonPath == "$" ? null : jsonPath.TrimStart('$', '.');

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return (end < 0 ? message : message[..end]).TrimEnd('.');
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} accepted for {Model}")]
    private static partial void LogAccepted(ILogger logger, string jobId, string model);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} answered again for its idempotency key")]
    private static partial void LogReplayed(ILogger logger, string jobId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {JobId} could not be written")]
    private static partial void LogWriteFailed(ILogger logger, string jobId, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} was accepted but its message could not be sent; the reconciler will send it")]
    private static partial void LogSendFailed(ILogger logger, string jobId, Exception exception);
}
