namespace Jobs.Shared.Uploads;

/// <summary>Input image uploads in S3.</summary>
public interface IUploadStore
{
    /// <summary>
    /// A form that uploads one object to <paramref name="key"/>, with the content type fixed and the
    /// size bounded by the policy S3 checks, usable until <paramref name="expires"/>.
    /// </summary>
    Task<UploadForm> CreateFormAsync(string key, string contentType, long maxBytes, DateTimeOffset expires, CancellationToken cancellationToken);

    /// <summary>The object's bytes, or null when there is none (never uploaded, or expired).</summary>
    /// <exception cref="UploadTooLargeException">The object is larger than <paramref name="maxBytes"/>.</exception>
    Task<byte[]?> ReadAsync(string key, long maxBytes, CancellationToken cancellationToken);
}
