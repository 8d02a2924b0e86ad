using System.Net;
using System.Text;
using System.Text.Json;
using Jobs.Producer.Api;
using Jobs.Shared.Images;
using Jobs.Shared.Lambda;
using Jobs.Shared.Requests;
using Jobs.Shared.Uploads;

namespace Jobs.Producer.Uploads;

/// <summary>
/// <c>POST /uploads</c>: a presigned form for one input image under the caller's prefix. Nothing
/// is written until the client uploads; an id never used simply expires.
/// </summary>
public sealed class CreateUpload(IUploadStore uploads, UploadOptions options, TimeProvider time)
{
    public async Task<HttpApiResponse> HandleAsync(HttpApiRequest request, string owner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var path = request.RawPath;
        if (!options.Enabled)
        {
            return ApiResults.Problem(HttpStatusCode.NotImplemented, ProblemTypes.NotFound, "Uploads are off", "This deployment has no uploads bucket (JOBS_UPLOADS_BUCKET), so no task can read an input image.", path);
        }

        UploadRequest? body;
        try
        {
            var text = request.Body is null ? "{}" : request.IsBase64Encoded ? Encoding.UTF8.GetString(Convert.FromBase64String(request.Body)) : request.Body;
            body = JsonSerializer.Deserialize(string.IsNullOrWhiteSpace(text) ? "{}" : text, ProducerJsonContext.Default.UploadRequest);
        }
        catch (Exception ex) when (ex is JsonException or FormatException)
        {
            return ApiResults.Problem(HttpStatusCode.BadRequest, ProblemTypes.MalformedJson, "Malformed JSON", "The body must be a JSON object such as {\"contentType\": \"image/png\"}.", path);
        }

        var errors = new List<FieldError>();
        foreach (var name in body?.UnknownFields?.Keys ?? Enumerable.Empty<string>())
        {
            errors.Add(new FieldError(name, "is not a field of an upload request."));
        }

        // A batch manifest too big to send inline travels the same way as an image.
        var manifest = body?.ContentType is "application/x-ndjson" or "application/json";
        var format = ImageFormats.FromContentType(body?.ContentType);
        if (format is null && !manifest)
        {
            errors.Add(new FieldError("contentType", "is required: image/png, image/jpeg or image/webp for an input image; application/x-ndjson or application/json for a batch manifest."));
        }

        if (errors.Count > 0)
        {
            return ApiResults.Problem(HttpStatusCode.BadRequest, ProblemTypes.Validation, "The request is not valid", string.Join(" ", errors.Select(e => $"{e.Field} {e.Message}")), path, errors);
        }

        var id = UploadKeys.NewId();
        var expires = time.GetUtcNow() + options.FormLifetime;
        var contentType = manifest ? body!.ContentType! : ImageFormats.ContentType(format!);
        var maxBytes = manifest ? options.MaxManifestBytes : options.MaxBytes;
        var form = await uploads.CreateFormAsync(UploadKeys.KeyFor(options, owner, id), contentType, maxBytes, expires, cancellationToken).ConfigureAwait(false);
        var view = new UploadView(id, contentType, maxBytes, expires, new UploadFormView("POST", form.Url, form.Fields));
        return ApiResults.Json(201, view, ProducerJsonContext.Default.UploadView);
    }
}
