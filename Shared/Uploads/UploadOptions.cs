namespace Jobs.Shared.Uploads;

/// <summary>
/// Where input images are uploaded and the limits the upload form itself carries. A separate bucket
/// from the images, so an expiry rule and a read-only grant to the consumer can cover exactly it.
/// </summary>
public sealed class UploadOptions
{
    /// <summary>The uploads bucket; empty turns uploads (and every task that reads an image) off. Environment: <c>JOBS_UPLOADS_BUCKET</c>.</summary>
    public string BucketName { get; set; } = string.Empty;

    /// <summary>Key prefix; an owner's uploads sit under <c>{prefix}{owner hash}/</c>. Default <c>uploads/</c>.</summary>
    public string KeyPrefix { get; set; } = "uploads/";

    /// <summary>
    /// Largest upload in bytes, enforced by S3 through the form's policy. Default 10 MiB: images travel
    /// base64 in a 25 MB InvokeModel body. Environment: <c>JOBS_UPLOAD_MAX_BYTES</c>.
    /// </summary>
    public long MaxBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>How long an upload form may be used. Default 5 minutes. Environment: <c>JOBS_UPLOAD_URL_SECONDS</c>.</summary>
    public TimeSpan FormLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Largest total of a job's input bytes: base64 grows them by 4/3 and Bedrock's body limit is
    /// 25,000,000 bytes, so 18 MB leaves room for the JSON around them.
    /// </summary>
    public long MaxJobInputBytes { get; set; } = 18_000_000;

    /// <summary>
    /// Largest batch manifest uploaded through the API (<c>application/x-ndjson</c> or
    /// <c>application/json</c>): 100,000 items of a few hundred bytes. Default 64 MiB.
    /// </summary>
    public long MaxManifestBytes { get; set; } = 64 * 1024 * 1024;

    /// <summary>True when an uploads bucket is configured.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(BucketName);
}
