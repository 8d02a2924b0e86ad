using Amazon.S3;
using Amazon.S3.Model;
using Jobs.Shared.Images;
using Jobs.Shared.Jobs;

namespace Jobs.Consumer.Batches;

/// <summary>
/// Writes a batch job's images also where its item asked (<c>output</c>), before the job is marked
/// succeeded, so a succeeded job's images are always there. Read back from the service's own copy,
/// so images an earlier attempt stored are written the same way; writing twice writes the same bytes.
/// </summary>
public sealed class OutputWriter(IAmazonS3 s3, IImageStore images)
{
    public async Task WriteAsync(Job job, IReadOnlyList<StoredImage> stored, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(stored);
        if (job.Output is not { } output)
        {
            return;
        }

        for (var i = 0; i < stored.Count; i++)
        {
            var content = await images.GetAsync(stored[i].Key, cancellationToken).ConfigureAwait(false);
            using var stream = new MemoryStream(content, writable: false);
            var request = new PutObjectRequest
            {
                BucketName = output.Bucket,
                Key = output.KeyFor(i),
                InputStream = stream,
                ContentType = stored[i].ContentType,
            };
            request.Metadata.Add("job-id", job.Id);
            request.Metadata.Add("sha256", stored[i].Sha256);
            await s3.PutObjectAsync(request, cancellationToken).ConfigureAwait(false);
        }
    }
}
