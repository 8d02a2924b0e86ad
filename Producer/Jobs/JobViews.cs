using Jobs.Shared.Images;
using Jobs.Shared.Jobs;

namespace Jobs.Producer.Jobs;

/// <summary>Turns a job into its wire form, presigning image URLs once the job has succeeded.</summary>
public sealed class JobViews(IImageStore images)
{
    public async Task<JobView> ToViewAsync(Job job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var imageViews = new List<ImageView>(job.Images.Count);
        foreach (var image in job.Images)
        {
            var url = job.Status == JobStatus.Succeeded ? await images.PresignGetAsync(image.Key, cancellationToken).ConfigureAwait(false) : null;
            imageViews.Add(new ImageView(url, image.Bucket, image.Key, image.Sha256, image.Bytes, image.Width, image.Height, image.Seed));
        }

        var request = job.Request;
        return new JobView
        {
            Id = job.Id,
            Status = job.Status,
            Model = request.Model,
            Prompt = request.Prompt,
            NegativePrompt = request.NegativePrompt,
            AspectRatio = request.AspectRatio,
            Width = request.Width,
            Height = request.Height,
            Seed = request.Seed,
            Count = request.Count,
            OutputFormat = request.OutputFormat,
            Style = request.Style,
            Quality = request.Quality,
            CfgScale = request.CfgScale,
            Steps = request.Steps,
            Cached = job.CachedFrom is not null,
            CachedFrom = job.CachedFrom,
            Attempts = job.Attempts,
            Deferrals = job.Deferrals,
            CancelRequestedAt = job.CancelRequestedAt,
            StartBy = job.StartBy,
            Error = job.Error,
            Images = imageViews,
            CreatedAt = job.CreatedAt,
            UpdatedAt = job.UpdatedAt,
            StartedAt = job.StartedAt,
            CompletedAt = job.CompletedAt,
            NotifiedAt = job.NotifiedAt,
        };
    }
}
