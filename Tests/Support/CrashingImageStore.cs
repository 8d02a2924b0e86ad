using Jobs.Shared.Images;

namespace Jobs.Tests.Support;

/// <summary>The real S3 image store, with a crash right after the PNG is put.</summary>
public sealed class CrashingImageStore(IImageStore inner, CrashPoint crash) : IImageStore
{
    public string BucketName => inner.BucketName;

    public async Task PutAsync(StoredImage image, ReadOnlyMemory<byte> content, string jobId, CancellationToken cancellationToken)
    {
        await inner.PutAsync(image, content, jobId, cancellationToken).ConfigureAwait(false);
        crash.After();
    }

    public Task<StoredImage?> FindAsync(string key, CancellationToken cancellationToken) => inner.FindAsync(key, cancellationToken);

    public Task DeleteAsync(string key, CancellationToken cancellationToken) => inner.DeleteAsync(key, cancellationToken);

    public Task<byte[]> GetAsync(string key, CancellationToken cancellationToken) => inner.GetAsync(key, cancellationToken);

    public Task<Uri> PresignGetAsync(string key, CancellationToken cancellationToken) => inner.PresignGetAsync(key, cancellationToken);
}
