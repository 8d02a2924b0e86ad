namespace Jobs.Shared.Uploads;

/// <summary>A presigned S3 POST: the URL and the form fields to send with the file, which carry the signed policy.</summary>
public sealed record UploadForm(Uri Url, IReadOnlyDictionary<string, string> Fields);
