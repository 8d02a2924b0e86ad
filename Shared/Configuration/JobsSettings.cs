using System.Globalization;
using Jobs.Shared.Images;
using Jobs.Shared.Queue;
using Jobs.Shared.Storage;

namespace Jobs.Shared.Configuration;

/// <summary>
/// The settings both functions share, read once from the environment (the Lambda configuration) and
/// validated together, so a misconfigured function fails at start with the whole list of problems.
/// </summary>
public sealed class JobsSettings
{
    public JobStoreOptions Store { get; } = new();
    public JobQueueOptions Queue { get; } = new();
    public ImageStoreOptions Images { get; } = new();
    public Batches.BatchOptions Batches { get; } = new();
    public Uploads.UploadOptions Uploads { get; } = new();

    public static JobsSettings FromEnvironment(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var settings = new JobsSettings();
        settings.Store.TableName = environment("JOBS_TABLE_NAME") ?? string.Empty;
        settings.Queue.QueueUrl = environment("JOBS_QUEUE_URL") ?? string.Empty;
        settings.Queue.BulkQueueUrl = environment("JOBS_BULK_QUEUE_URL") ?? string.Empty;
        settings.Images.BucketName = environment("JOBS_BUCKET") ?? string.Empty;
        settings.Images.ForcePathStyle = string.Equals(environment("JOBS_S3_FORCE_PATH_STYLE"), "true", StringComparison.OrdinalIgnoreCase);
        if (environment("JOBS_JOB_RETENTION_DAYS") is { } days && int.TryParse(days, CultureInfo.InvariantCulture, out var d))
        {
            settings.Store.Retention = TimeSpan.FromDays(d);
        }

        settings.Uploads.BucketName = environment("JOBS_UPLOADS_BUCKET") ?? string.Empty;
        if (environment("JOBS_UPLOAD_MAX_BYTES") is { } maxBytes)
        {
            settings.Uploads.MaxBytes = long.TryParse(maxBytes, NumberStyles.None, CultureInfo.InvariantCulture, out var b) ? b : 0;
        }

        if (environment("JOBS_UPLOAD_URL_SECONDS") is { } formSeconds)
        {
            settings.Uploads.FormLifetime = int.TryParse(formSeconds, NumberStyles.None, CultureInfo.InvariantCulture, out var f) ? TimeSpan.FromSeconds(f) : TimeSpan.Zero;
        }

        settings.Batches.OutputBuckets = Buckets(environment("JOBS_OUTPUT_BUCKETS"));
        settings.Batches.ManifestBuckets = Buckets(environment("JOBS_MANIFEST_BUCKETS"));
        if (environment("JOBS_CURSOR_KEY") is { Length: > 0 } cursorKey)
        {
            settings.Store.CursorKey = TryBase64(cursorKey) ?? [];
        }

        if (environment("JOBS_PRESIGNED_URL_MINUTES") is { } minutes)
        {
            settings.Images.PresignedUrlLifetime = int.TryParse(minutes, NumberStyles.None, CultureInfo.InvariantCulture, out var m) ? TimeSpan.FromMinutes(m) : TimeSpan.Zero;
        }

        return settings;
    }

    /// <summary>Every missing or invalid setting, each naming its environment variable; empty when all is well.</summary>
    public IReadOnlyList<string> Problems(bool needsQueue)
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(Store.TableName))
        {
            problems.Add("JOBS_TABLE_NAME is not set: the DynamoDB jobs table.");
        }

        if (string.IsNullOrWhiteSpace(Images.BucketName))
        {
            problems.Add("JOBS_BUCKET is not set: the S3 images bucket.");
        }

        if (needsQueue && !Uri.TryCreate(Queue.QueueUrl, UriKind.Absolute, out _))
        {
            problems.Add("JOBS_QUEUE_URL is not set to a URL: the SQS jobs queue.");
        }

        // SigV4 presigned URLs live at most seven days.
        if (Images.PresignedUrlLifetime < TimeSpan.FromMinutes(1) || Images.PresignedUrlLifetime > TimeSpan.FromDays(7))
        {
            problems.Add("JOBS_PRESIGNED_URL_MINUTES must be a whole number of minutes from 1 to 10080 (seven days, the longest a SigV4 presigned URL lives).");
        }

        if (Store.CursorKey.Length < JobStoreOptions.MinimumCursorKeyBytes)
        {
            problems.Add($"JOBS_CURSOR_KEY must be base64 of at least {JobStoreOptions.MinimumCursorKeyBytes} bytes: the key that signs list cursors.");
        }

        if (Uploads.MaxBytes is < 1 or > 18_000_000)
        {
            problems.Add("JOBS_UPLOAD_MAX_BYTES must be a whole number of bytes from 1 to 18000000 (inputs travel base64 in a 25 MB InvokeModel body).");
        }

        if (Uploads.FormLifetime < TimeSpan.FromSeconds(10) || Uploads.FormLifetime > TimeSpan.FromHours(1))
        {
            problems.Add("JOBS_UPLOAD_URL_SECONDS must be a whole number of seconds from 10 to 3600.");
        }

        if (Store.Retention <= TimeSpan.Zero)
        {
            problems.Add("JOBS_JOB_RETENTION_DAYS must be a positive number of days.");
        }

        return problems;
    }

    private static byte[]? TryBase64(string text)
    {
        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static HashSet<string> Buckets(string? list) =>
        new((list ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), StringComparer.Ordinal);
}
