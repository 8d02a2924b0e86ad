using Jobs.Shared.Images;
using Jobs.Shared.Storage;

namespace Jobs.Tests.Support;

/// <summary>
/// The real image store, with a client's cancel arriving right after an image is put: the race in
/// which the worker has already paid for and stored the image when it learns of the cancel.
/// </summary>
public sealed class CancelWhileStoring(IImageStore inner, IJobStore jobs, TimeProvider time) : IImageStore
{
    public string BucketName => inner.BucketName;

    public async Task PutAsync(StoredImage image, ReadOnlyMemory<byte> content, string jobId, CancellationToken cancellationToken)
    {
        await inner.PutAsync(image, content, jobId, cancellationToken).ConfigureAwait(false);
        await jobs.RequestCancelAsync(jobId, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
    }

    public Task<StoredImage?> FindAsync(string key, CancellationToken cancellationToken) => inner.FindAsync(key, cancellationToken);

    public Task DeleteAsync(string key, CancellationToken cancellationToken) => inner.DeleteAsync(key, cancellationToken);

    public Task<byte[]> GetAsync(string key, CancellationToken cancellationToken) => inner.GetAsync(key, cancellationToken);

    public Task<Uri> PresignGetAsync(string key, CancellationToken cancellationToken) => inner.PresignGetAsync(key, cancellationToken);
}
