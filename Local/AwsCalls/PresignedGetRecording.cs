using Jobs.Shared.Images;

namespace Jobs.Local.AwsCalls;

/// <summary>
/// A presigned URL is signed without a call, but the GET a client makes with it is authorized as
/// the signer's own GetObject. This image store records that GET for the function when it presigns,
/// so the IAM coverage test checks the permission every download depends on.
/// </summary>
internal sealed class PresignedGetRecording(IImageStore inner, string function, AwsCallRecorder recorder) : IImageStore
{
    public string BucketName => inner.BucketName;

    public async Task<Uri> PresignGetAsync(string key, CancellationToken cancellationToken)
    {
        var url = await inner.PresignGetAsync(key, cancellationToken).ConfigureAwait(false);
        using var download = new HttpRequestMessage(HttpMethod.Get, url);
        var call = await AwsRequestReader.ReadAsync(download, cancellationToken).ConfigureAwait(false);
        recorder.Add(call with { Function = function, Status = 200 });
        return url;
    }

    public Task PutAsync(StoredImage image, ReadOnlyMemory<byte> content, string jobId, CancellationToken cancellationToken) =>
        inner.PutAsync(image, content, jobId, cancellationToken);

    public Task<StoredImage?> FindAsync(string key, CancellationToken cancellationToken) => inner.FindAsync(key, cancellationToken);

    public Task DeleteAsync(string key, CancellationToken cancellationToken) => inner.DeleteAsync(key, cancellationToken);

    public Task<byte[]> GetAsync(string key, CancellationToken cancellationToken) => inner.GetAsync(key, cancellationToken);
}
