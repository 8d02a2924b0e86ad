namespace Jobs.Shared.Images;

/// <summary>Image storage.</summary>
public interface IImageStore
{
    string BucketName { get; }

    Task PutAsync(StoredImage image, ReadOnlyMemory<byte> content, string jobId, CancellationToken cancellationToken);

    /// <summary>The stored image's facts, or null when no object exists at that key.</summary>
    /// <exception cref="ImageStorePermissionException">The role may not read the key or list the bucket.</exception>
    Task<StoredImage?> FindAsync(string key, CancellationToken cancellationToken);

    /// <summary>Removes an image (a canceled job's result); a missing object is not an error.</summary>
    Task DeleteAsync(string key, CancellationToken cancellationToken);

    Task<byte[]> GetAsync(string key, CancellationToken cancellationToken);

    Task<Uri> PresignGetAsync(string key, CancellationToken cancellationToken);
}
