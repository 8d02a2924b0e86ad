using System.Net;
using Amazon.S3;
using Amazon.S3.Model;

namespace Jobs.Shared.Uploads;

/// <summary><see cref="IUploadStore"/> on S3: presigned POST policies (which, unlike a presigned PUT, can bound the size) and bounded reads.</summary>
public sealed class S3UploadStore(IAmazonS3 s3, UploadOptions options) : IUploadStore
{
    public async Task<UploadForm> CreateFormAsync(string key, string contentType, long maxBytes, DateTimeOffset expires, CancellationToken cancellationToken)
    {
        var request = new CreatePresignedPostRequest
        {
            BucketName = options.BucketName,
            Key = key,
            Expires = expires.UtcDateTime,
        };
        request.Fields.Add("Content-Type", contentType);
        request.Conditions.Add(S3PostCondition.ExactMatch("Content-Type", contentType));
        request.Conditions.Add(S3PostCondition.ContentLengthRange(1, maxBytes));
        var response = await s3.CreatePresignedPostAsync(request).ConfigureAwait(false);
        return new UploadForm(new Uri(response.Url), new Dictionary<string, string>(response.Fields, StringComparer.Ordinal));
    }

    public async Task<byte[]?> ReadAsync(string key, long maxBytes, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await s3.GetObjectAsync(options.BucketName, key, cancellationToken).ConfigureAwait(false);
            if (response.ContentLength > maxBytes)
            {
                throw new UploadTooLargeException(response.ContentLength, maxBytes);
            }

            using var buffer = new MemoryStream((int)Math.Max(0, response.ContentLength));
            await response.ResponseStream.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
            return buffer.ToArray();
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }
}
