using Amazon.S3;
using Amazon.S3.Model;
using Jobs.Local.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Jobs.Tests.Support;

/// <summary>What really is in the local S3 bucket for a job, read straight from the emulator.</summary>
public static class StoredImages
{
    public static async Task<IReadOnlyList<S3Object>> ForJobAsync(LocalStack stack, string jobId)
    {
        ArgumentNullException.ThrowIfNull(stack);
        var objects = await stack.Services.GetRequiredService<IAmazonS3>().ListObjectsV2Async(new ListObjectsV2Request
        {
            BucketName = stack.Options.BucketName,
            Prefix = $"images/{jobId}/",
        }).ConfigureAwait(false);
        return objects.S3Objects ?? [];
    }
}
