using System.Globalization;
using System.Net;
using Amazon.S3;
using Amazon.S3.Model;

namespace Jobs.Shared.Images;

/// <summary><see cref="IImageStore"/> on S3; facts about each image travel as <c>x-amz-meta-*</c> metadata.</summary>
public sealed class S3ImageStore(IAmazonS3 s3, ImageStoreOptions options, TimeProvider time) : IImageStore
{
    public string BucketName => options.BucketName;

    public async Task PutAsync(StoredImage image, ReadOnlyMemory<byte> content, string jobId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        using var stream = new MemoryStream(content.ToArray(), writable: false);
        var request = new PutObjectRequest
        {
            BucketName = options.BucketName,
            Key = image.Key,
            InputStream = stream,
            ContentType = image.ContentType,
            ServerSideEncryptionMethod = ServerSideEncryptionMethod.AES256,
        };
        request.Metadata.Add("job-id", jobId);
        request.Metadata.Add("sha256", image.Sha256);
        request.Metadata.Add("width", image.Width.ToString(CultureInfo.InvariantCulture));
        request.Metadata.Add("height", image.Height.ToString(CultureInfo.InvariantCulture));
        request.Metadata.Add("seed", image.Seed.ToString(CultureInfo.InvariantCulture));
        await s3.PutObjectAsync(request, cancellationToken).ConfigureAwait(false);
    }

    public async Task<StoredImage?> FindAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            var head = await s3.GetObjectMetadataAsync(options.BucketName, key, cancellationToken).ConfigureAwait(false);
            var sha = head.Metadata["sha256"];
            if (string.IsNullOrEmpty(sha))
            {
                // An object without our metadata was not written by this service; treat it as absent.
                return null;
            }

            return new StoredImage(
                key,
                head.Headers.ContentType,
                sha,
                head.ContentLength,
                int.Parse(head.Metadata["width"], CultureInfo.InvariantCulture),
                int.Parse(head.Metadata["height"], CultureInfo.InvariantCulture),
                long.Parse(head.Metadata["seed"], CultureInfo.InvariantCulture));
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.Forbidden)
        {
            // Without s3:ListBucket, S3 answers a missing key with 403 rather than 404 (documented
            // on HeadObject), so a 403 here cannot be read as "absent": it means the role is short.
            throw new ImageStorePermissionException(
                $"S3 refused to say whether s3://{options.BucketName}/{key} exists (403). The function's role needs " +
                $"s3:GetObject on arn:aws:s3:::{options.BucketName}/{options.KeyPrefix}* and s3:ListBucket on " +
                $"arn:aws:s3:::{options.BucketName} for the prefix {options.KeyPrefix}; without s3:ListBucket S3 answers 403 for every image not yet made.",
                ex);
        }
    }

    public async Task DeleteAsync(string key, CancellationToken cancellationToken) =>
        await s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = options.BucketName, Key = key }, cancellationToken).ConfigureAwait(false);

    public async Task<byte[]> GetAsync(string key, CancellationToken cancellationToken)
    {
        using var response = await s3.GetObjectAsync(options.BucketName, key, cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        await response.ResponseStream.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        return buffer.ToArray();
    }

    public async Task<Uri> PresignGetAsync(string key, CancellationToken cancellationToken)
    {
        var request = new GetPreSignedUrlRequest
        {
            BucketName = options.BucketName,
            Key = key,
            Verb = HttpVerb.GET,
            Expires = time.GetUtcNow().Add(options.PresignedUrlLifetime).UtcDateTime,
        };
        if (s3.Config.ServiceURL is { } serviceUrl && serviceUrl.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
        {
            request.Protocol = Protocol.HTTP;
        }

        return new Uri(await s3.GetPreSignedURLAsync(request).ConfigureAwait(false));
    }
}
