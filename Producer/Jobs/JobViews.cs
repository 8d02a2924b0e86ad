using Jobs.Shared.Images;
using Jobs.Shared.Jobs;
using Jobs.Shared.Models;

namespace Jobs.Producer.Jobs;

/// <summary>Turns a job into its wire form, presigning image URLs once the job has succeeded.</summary>
public sealed class JobViews(IImageStore images, ModelCatalog catalog, TimeProvider time)
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
        var known = catalog.TryGet(request.Model, out var model);
        return new JobView
        {
            Id = job.Id,
            Status = job.Status,
            Model = request.Model,
            Task = request.Task,
            Inputs = request.Inputs.Count == 0 ? null : [.. request.Inputs.Select(i => new InputView(i.Name, i.UploadId, i.Sha256, i.Format, i.Width, i.Height, i.Bytes))],
            Parameters = request.Parameters.Count == 0 ? null : request.Parameters,
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
            // A canceled job says only that it was canceled: a reason it was waiting is stale.
            Error = job.Status == JobStatus.Canceled ? null : job.Error,
            ModelLifecycle = known ? model!.LifecycleOn(DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime)) : null,
            EstimatedCostUsd = job.CachedFrom is not null ? 0m : known && model!.Price is { } price ? price.PerImage(request.Quality) * request.Count : null,
            Urls = new JobUrls(
                $"/jobs/{job.Id}",
                job.Status.IsTerminal() ? null : $"/jobs/{job.Id}/cancel",
                [.. imageViews.Where(i => i.Url is not null).Select(i => i.Url!)]),
            Metrics = new JobTimings(
                Milliseconds(job.CreatedAt, job.StartedAt),
                job.StartedAt is { } started ? Milliseconds(started, job.CompletedAt) : null,
                Milliseconds(job.CreatedAt, job.CompletedAt),
                job.Attempts,
                job.Deferrals),
            Images = imageViews,
            CreatedAt = job.CreatedAt,
            UpdatedAt = job.UpdatedAt,
            StartedAt = job.StartedAt,
            CompletedAt = job.CompletedAt,
            NotifiedAt = job.NotifiedAt,
        };
    }

    private static long? Milliseconds(DateTimeOffset from, DateTimeOffset? to) => to is { } end ? (long)(end - from).TotalMilliseconds : null;
}
