namespace Jobs.Producer.Uploads;

/// <summary>
/// The answer to <c>POST /uploads</c>: the id a job names the image by, and a presigned S3 POST form
/// (URL and fields) that uploads it. The form's signed policy fixes the key and content type and
/// bounds the size, so S3 itself refuses anything else; it expires at <see cref="ExpiresAt"/>.
/// </summary>
public sealed record UploadView(string Id, string ContentType, long MaxBytes, DateTimeOffset ExpiresAt, UploadFormView Form);
