namespace Jobs.Shared.Images;

/// <summary>Where generated images are stored and how long their download links live.</summary>
public sealed class ImageStoreOptions
{
    /// <summary>The images bucket. Environment: <c>JOBS_BUCKET</c>.</summary>
    public string BucketName { get; set; } = string.Empty;

    /// <summary>Key prefix for images; a job's images sit under <c>{prefix}{jobId}/</c>. Default <c>images/</c>.</summary>
    public string KeyPrefix { get; set; } = "images/";

    /// <summary>Lifetime of presigned GET URLs. Default 1 hour.</summary>
    public TimeSpan PresignedUrlLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Address buckets by path rather than by host name. Needed by S3-compatible emulators on
    /// 127.0.0.1; off for AWS. Environment: <c>JOBS_S3_FORCE_PATH_STYLE</c>.
    /// </summary>
    public bool ForcePathStyle { get; set; }

    public string KeyFor(string jobId, int index, string extension) => $"{KeyPrefix}{jobId}/{index}.{extension}";
}
