using Jobs.Shared.Uploads;

namespace Jobs.Local.AwsCalls;

/// <summary>
/// An upload form is signed without a call, but the POST a client makes with it is authorized as
/// the signer's own PutObject on the form's key. This upload store records that PutObject for the
/// function when it signs a form, so the IAM coverage test checks the permission every upload
/// depends on (the local S3 does not check form policies).
/// </summary>
internal sealed class PresignedPostRecording(IUploadStore inner, string function, AwsCallRecorder recorder) : IUploadStore
{
    public async Task<UploadForm> CreateFormAsync(string key, string contentType, long maxBytes, DateTimeOffset expires, CancellationToken cancellationToken)
    {
        var form = await inner.CreateFormAsync(key, contentType, maxBytes, expires, cancellationToken).ConfigureAwait(false);
        var bucket = form.Url.AbsolutePath.Trim('/');
        recorder.Add(new RecordedAwsCall(function, "s3", "PutObject", $"arn:aws:s3:::{bucket}/{key}", 200, new Dictionary<string, string>()));
        return form;
    }

    public Task<byte[]?> ReadAsync(string key, long maxBytes, CancellationToken cancellationToken) => inner.ReadAsync(key, maxBytes, cancellationToken);
}
