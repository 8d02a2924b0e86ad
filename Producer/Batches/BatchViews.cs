using Jobs.Shared.Batches;
using Jobs.Shared.Images;
using JobBatch = Jobs.Shared.Batches.Batch;

namespace Jobs.Producer.Batches;

/// <summary>Turns a batch item into its wire form, presigning the results file once there is one.</summary>
public sealed class BatchViews(IImageStore images)
{
    public async Task<BatchView> ToViewAsync(JobBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var finished = batch.Succeeded + batch.Failed + batch.Canceled;
        var done = batch.Status is BatchStatus.Completed or BatchStatus.Canceled or BatchStatus.Failed;
        return new BatchView
        {
            Id = batch.Id,
            Status = batch.Status,
            Total = batch.Total,
            Counts = new BatchCounts(batch.Created, Math.Max(0, batch.Created - finished), batch.Succeeded, batch.Failed, batch.Canceled, batch.Invalid, batch.Skipped),
            Error = batch.Error,
            CreatedAt = batch.CreatedAt,
            CancelRequestedAt = batch.CancelRequestedAt,
            CompletedAt = batch.CompletedAt,
            ResultsUrl = batch.ResultsKey is { } key ? await images.PresignGetAsync(key, cancellationToken).ConfigureAwait(false) : null,
            Urls = new BatchUrls($"/batches/{batch.Id}", done ? null : $"/batches/{batch.Id}/cancel"),
        };
    }
}
