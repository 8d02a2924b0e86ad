using Jobs.Consumer.Notices;
using Jobs.Shared.Batches;
using Jobs.Shared.Jobs;
using Jobs.Shared.Storage;
using JobBatch = Jobs.Shared.Batches.Batch;

namespace Jobs.Consumer.Batches;

/// <summary>
/// Ends a batch whose last job has been counted: moves it to its final status (one conditional
/// write, so one caller wins), writes the results file, publishes <c>batch.completed</c> and records
/// that it did. Every part can run again: a crash between them leaves a batch that is final and not
/// notified, which the next caller (a redelivered job message, the reconciler) finishes.
/// </summary>
public sealed class BatchFinisher(IBatchStore batches, IJobStore jobs, BatchFiles files, IJobEvents events, TimeProvider time)
{
    /// <summary>Long enough to write the results and publish; a finisher that died is replaced after it.</summary>
    private static readonly TimeSpan NoticeLease = TimeSpan.FromMinutes(2);

    public async Task TryFinishAsync(string batchId, CancellationToken cancellationToken)
    {
        var batch = await batches.GetAsync(batchId, cancellationToken).ConfigureAwait(false);
        if (batch is null)
        {
            return;
        }

        if (batch.Status == BatchStatus.Running && batch.Remaining == 0)
        {
            var final = batch.CancelRequestedAt is null ? BatchStatus.Completed : BatchStatus.Canceled;
            await batches.CompleteAsync(batchId, final, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            batch = await batches.GetAsync(batchId, cancellationToken).ConfigureAwait(false) ?? batch;
        }

        if (batch.Status is BatchStatus.Expanding or BatchStatus.Running || batch.NotifiedAt is not null)
        {
            return;
        }

        var now = time.GetUtcNow();
        if (!await batches.ClaimNoticeAsync(batchId, now + NoticeLease, now, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        var results = await ResultsAsync(batch, cancellationToken).ConfigureAwait(false);
        await files.WriteResultsAsync(batch.Id, results, cancellationToken).ConfigureAwait(false);
        var resultsKey = BatchFiles.ResultsKey(batch.Id);
        await events.PublishAsync(new BatchNotice
        {
            EventId = $"{batch.Id}:batch.completed",
            BatchId = batch.Id,
            Status = DynamoDbBatchStore.Name(batch.Status),
            Owner = batch.Owner,
            Total = batch.Total ?? 0,
            Invalid = batch.Invalid,
            Skipped = batch.Skipped,
            Succeeded = batch.Succeeded,
            Failed = batch.Failed,
            Canceled = batch.Canceled,
            Results = $"s3://{files.BucketName}/{resultsKey}",
            Error = batch.Error,
            CreatedAt = batch.CreatedAt,
            CompletedAt = batch.CompletedAt,
        }, cancellationToken).ConfigureAwait(false);
        await batches.MarkNotifiedAsync(batch.Id, resultsKey, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One line per manifest item, in manifest order: its job's outcome, or why it has none.</summary>
    private async Task<List<BatchResultLine>> ResultsAsync(JobBatch batch, CancellationToken cancellationToken)
    {
        var lines = new List<BatchResultLine>();
        if (batch.Chunks is not { } chunks)
        {
            return lines;
        }

        lines.AddRange(await files.ReadInvalidAsync(batch.Id, cancellationToken).ConfigureAwait(false));
        for (var chunk = 0; chunk < chunks; chunk++)
        {
            var entries = await files.ReadChunkAsync(batch.Id, chunk, cancellationToken).ConfigureAwait(false);
            var found = await jobs.GetManyAsync([.. entries.Select(e => BatchIds.JobIdFor(batch.Id, e.Index))], cancellationToken).ConfigureAwait(false);
            foreach (var entry in entries)
            {
                var id = BatchIds.JobIdFor(batch.Id, entry.Index);
                lines.Add(found.TryGetValue(id, out var job)
                    ? new BatchResultLine
                    {
                        Index = entry.Index,
                        Id = entry.ClientId,
                        JobId = id,
                        Status = job.Status.ToName(),
                        Metadata = entry.Metadata,
                        Images = [.. job.Images.Select((image, i) => entry.Output is { } output && job.Status == JobStatus.Succeeded ? $"s3://{output.Bucket}/{output.KeyFor(i)}" : $"s3://{image.Bucket}/{image.Key}")],
                        Error = job.Status == JobStatus.Succeeded ? null : job.Error,
                    }
                    : new BatchResultLine { Index = entry.Index, Id = entry.ClientId, Status = "skipped", Metadata = entry.Metadata });
            }
        }

        return [.. lines.OrderBy(l => l.Index)];
    }
}
