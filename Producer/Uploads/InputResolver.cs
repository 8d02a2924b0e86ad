using System.Security.Cryptography;
using Jobs.Shared.Images;
using Jobs.Shared.Jobs;
using Jobs.Shared.Models;
using Jobs.Shared.Requests;
using Jobs.Shared.Uploads;

namespace Jobs.Producer.Uploads;

/// <summary>
/// Reads a validated job's uploads before anything is queued: each must exist under the caller's
/// prefix, be a real PNG, JPEG or WEBP (by its bytes), fit the model's limits, and a mask must be
/// a PNG of the image's size where the model needs that. What passes is recorded with its hash.
/// </summary>
public sealed class InputResolver(IUploadStore uploads, UploadOptions options, ModelCatalog catalog)
{
    /// <summary>The request with its inputs filled in, or the problems with them, each naming its field.</summary>
    public async Task<(JobRequest? Request, IReadOnlyList<FieldError> Errors)> ResolveAsync(JobRequest request, string owner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Inputs.Count == 0)
        {
            return (request, []);
        }

        var offer = catalog.TryGet(request.Model, out var model) && model.Tasks.TryGetValue(request.Task, out var o) ? o : null;
        if (offer is null || !options.Enabled)
        {
            return (null, [new FieldError(request.Inputs[0].Name, options.Enabled ? "is not read by this task." : "cannot be read: this deployment has no uploads bucket.")]);
        }

        var errors = new List<FieldError>();
        var resolved = new List<JobInput>();
        var indexes = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var input in request.Inputs)
        {
            var index = indexes[input.Name] = indexes.GetValueOrDefault(input.Name, -1) + 1;
            var field = input.Name == "images" ? $"images[{index}]" : input.Name;
            var key = UploadKeys.KeyFor(options, owner, input.UploadId);
            byte[]? bytes;
            try
            {
                bytes = await uploads.ReadAsync(key, options.MaxBytes, cancellationToken).ConfigureAwait(false);
            }
            catch (UploadTooLargeException ex)
            {
                errors.Add(new FieldError(field, $"upload {input.UploadId} is {ex.Bytes} bytes; the limit is {options.MaxBytes}."));
                continue;
            }

            if (bytes is null)
            {
                errors.Add(new FieldError(field, $"upload {input.UploadId} was not found: it was never uploaded, belongs to another caller, or has expired."));
                continue;
            }

            if (!ImageHeader.TryRead(bytes, out var header))
            {
                errors.Add(new FieldError(field, $"upload {input.UploadId} is not a PNG, JPEG or WEBP image (read from its bytes)."));
                continue;
            }

            var isMask = offer.Input(input.Name)?.IsMask == true;
            var problem = isMask
                ? header.Format == ImageFormats.Png ? null : $"is a {header.Format.ToUpperInvariant()} image; a mask must be a PNG (lossless, so white stays white)"
                : offer.InputRule.Check(header.Format, header.Width, header.Height);
            if (problem is not null)
            {
                errors.Add(new FieldError(field, $"upload {input.UploadId} {problem} for {request.Task} on {request.Model}."));
                continue;
            }

            resolved.Add(input with
            {
                Key = key,
                Sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)),
                Format = header.Format,
                Width = header.Width,
                Height = header.Height,
                Bytes = bytes.Length,
            });
        }

        if (errors.Count == 0 && offer.MaskSameSize
            && resolved.FirstOrDefault(i => i.Name == "mask") is { } mask && resolved.FirstOrDefault(i => i.Name == "image") is { } image
            && (mask.Width != image.Width || mask.Height != image.Height))
        {
            errors.Add(new FieldError("mask", $"is {mask.Width}×{mask.Height}; {request.Model} needs a mask the size of the image, {image.Width}×{image.Height}."));
        }

        if (errors.Count == 0 && resolved.Sum(i => i.Bytes) > options.MaxJobInputBytes)
        {
            errors.Add(new FieldError(request.Inputs[0].Name, $"the inputs total {resolved.Sum(i => i.Bytes)} bytes; a job's inputs may total {options.MaxJobInputBytes} (they travel base64 in one 25 MB Bedrock request)."));
        }

        return errors.Count > 0 ? (null, errors) : (request with { Inputs = resolved }, []);
    }
}
