using System.Text.Json;
using Amazon.DynamoDBv2.Model;
using Amazon.S3;
using Jobs.Consumer.Batch;
using Jobs.Shared.Batches;
using Jobs.Shared.Jobs;
using Jobs.Shared.Logging;
using Jobs.Shared.Queue;
using Jobs.Shared.Storage;
using Microsoft.Extensions.Logging;
using JobBatch = Jobs.Shared.Batches.Batch;

namespace Jobs.Consumer.Batches;

/// <summary>
/// Turns a batch into jobs a chunk at a time, one queue message per step. Step 0 reads and checks
/// the manifest and writes its valid items to chunk files; step k writes chunk k-1's jobs (ids made
/// from the batch id and the item's index, each written only if absent), sends their messages ten to
/// a request, records the step, then queues the next. A crash anywhere repeats a step that changes
/// nothing twice: the batch item says which step is next, and only that step's message does work.
/// </summary>
public sealed partial class BatchExpander(
    IBatchStore batches,
    IJobStore jobs,
    IJobQueue queue,
    BatchFiles files,
    BatchItemReader reader,
    BatchOptions options,
    JobStoreOptions storeOptions,
    BatchFinisher finisher,
    TimeProvider time,
    ILogger<BatchExpander> logger)
{
    /// <summary>Job items written at once by one step.</summary>
    private const int WriteConcurrency = 16;

    public async Task<MessageOutcome> ProcessAsync(BatchMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        using var scope = logger.BeginScope(LogScope.Of("batchId", message.BatchId));
        var batch = await batches.GetAsync(message.BatchId, cancellationToken).ConfigureAwait(false);
        if (batch is null)
        {
            return MessageOutcome.Acknowledge("no such batch");
        }

        if (message.Cancel)
        {
            return await CancelChunkAsync(batch, message.Step, cancellationToken).ConfigureAwait(false);
        }

        if (batch.Status != BatchStatus.Expanding || batch.NextStep != message.Step)
        {
            return MessageOutcome.Acknowledge($"stale step {message.Step} (the batch is {batch.Status} at step {batch.NextStep})");
        }

        var now = time.GetUtcNow();
        if (batch.CancelRequestedAt is not null)
        {
            // Canceled while expanding: the items not yet made never will be.
            if (message.Step == 0)
            {
                await batches.RecordManifestAsync(batch.Id, 0, 0, 0, now, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                var skipped = (batch.Total ?? 0) - batch.Invalid - batch.Created;
                await batches.StopExpansionAsync(batch.Id, message.Step, skipped, now, cancellationToken).ConfigureAwait(false);
            }

            await finisher.TryFinishAsync(batch.Id, cancellationToken).ConfigureAwait(false);
            return MessageOutcome.Acknowledge("canceled before its jobs were all made");
        }

        return message.Step == 0
            ? await ReadManifestAsync(batch, cancellationToken).ConfigureAwait(false)
            : await CreateChunkAsync(batch, message.Step, cancellationToken).ConfigureAwait(false);
    }

    private async Task<MessageOutcome> ReadManifestAsync(JobBatch batch, CancellationToken cancellationToken)
    {
        List<JsonElement> items;
        try
        {
            items = await files.ReadManifestAsync(batch.Manifest, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is AmazonS3Exception or JsonException or InvalidOperationException)
        {
            return await FailAsync(batch, $"The manifest s3://{batch.Manifest.Bucket}/{batch.Manifest.Key} could not be read: {ex.Message}", cancellationToken).ConfigureAwait(false);
        }

        if (items.Count > options.MaxManifestItems)
        {
            return await FailAsync(batch, $"The manifest holds {items.Count} items; a batch takes at most {options.MaxManifestItems}.", cancellationToken).ConfigureAwait(false);
        }

        var entries = new List<BatchEntry>(items.Count);
        var invalid = new List<BatchResultLine>();
        var clientIds = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < items.Count; i++)
        {
            var (entry, errors) = reader.Read(items[i], i, $"items[{i}]");
            if (entry?.ClientId is { } clientId && !clientIds.Add(clientId))
            {
                (entry, errors) = (null, [new($"items[{i}].id", $"'{clientId}' is already the id of an earlier item.")]);
            }

            if (entry is null)
            {
                var clientIdText = items[i].ValueKind == JsonValueKind.Object && items[i].TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
                invalid.Add(new BatchResultLine
                {
                    Index = i,
                    Id = clientIdText,
                    Status = "invalid",
                    Error = new JobError(JobErrorCodes.InvalidJob, string.Join(" ", errors.Select(e => $"{e.Field} {e.Message}"))),
                });
                continue;
            }

            entries.Add(entry);
        }

        var chunks = entries.Chunk(options.ChunkSize).ToList();
        await Parallel.ForEachAsync(
            chunks.Select((chunk, k) => (chunk, k)),
            new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
            async (c, token) => await files.WriteChunkAsync(batch.Id, c.k, c.chunk, token).ConfigureAwait(false)).ConfigureAwait(false);
        await files.WriteInvalidAsync(batch.Id, invalid, cancellationToken).ConfigureAwait(false);
        if (await batches.RecordManifestAsync(batch.Id, items.Count, invalid.Count, chunks.Count, time.GetUtcNow(), cancellationToken).ConfigureAwait(false))
        {
            if (chunks.Count > 0)
            {
                await queue.EnqueueBatchStepAsync(new BatchMessage(batch.Id, 1), cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await finisher.TryFinishAsync(batch.Id, cancellationToken).ConfigureAwait(false);
            }
        }

        LogManifest(logger, items.Count, invalid.Count, chunks.Count);
        return MessageOutcome.Acknowledge("manifest read");
    }

    private async Task<MessageOutcome> CreateChunkAsync(JobBatch batch, int step, CancellationToken cancellationToken)
    {
        var entries = await files.ReadChunkAsync(batch.Id, step - 1, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var made = entries.Select(e => new Job
        {
            Id = BatchIds.JobIdFor(batch.Id, e.Index),
            Status = JobStatus.Queued,
            Request = e.Request,
            CreatedAt = now,
            UpdatedAt = now,
            ExpiresAt = now + storeOptions.Retention,
            DueAt = now,
            Owner = batch.Owner,
            BatchId = batch.Id,
            BatchIndex = e.Index,
            ClientId = e.ClientId,
            Metadata = e.Metadata,
            Output = e.Output,
        }).ToList();
        await Parallel.ForEachAsync(made, new ParallelOptions { MaxDegreeOfParallelism = WriteConcurrency, CancellationToken = cancellationToken }, async (job, token) =>
        {
            try
            {
                await jobs.CreateAsync(job, token).ConfigureAwait(false);
            }
            catch (ConditionalCheckFailedException)
            {
                // Made by an earlier run of this step: the same id, the same item.
            }
        }).ConfigureAwait(false);

        // Sent for every job of the chunk, made now or before: a copy for a job that has moved on is stale and does nothing.
        await queue.EnqueueManyAsync([.. made.Select(j => new JobMessage(j.Id, 1) { Bulk = true })], cancellationToken).ConfigureAwait(false);
        var last = step == batch.Chunks;
        if (await batches.AdvanceAsync(batch.Id, step, made.Count, last, time.GetUtcNow(), cancellationToken).ConfigureAwait(false))
        {
            if (last)
            {
                await finisher.TryFinishAsync(batch.Id, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await queue.EnqueueBatchStepAsync(new BatchMessage(batch.Id, step + 1), cancellationToken).ConfigureAwait(false);
            }
        }

        LogChunk(logger, step, made.Count);
        return MessageOutcome.Acknowledge($"chunk {step - 1} made");
    }

    /// <summary>Cancels the jobs of one chunk that have not finished, then queues the next chunk's cancel.</summary>
    private async Task<MessageOutcome> CancelChunkAsync(JobBatch batch, int chunk, CancellationToken cancellationToken)
    {
        if (batch.Chunks is not { } chunks || chunk >= chunks)
        {
            return MessageOutcome.Acknowledge("every chunk's jobs asked to cancel");
        }

        var entries = await files.ReadChunkAsync(batch.Id, chunk, cancellationToken).ConfigureAwait(false);
        var found = await jobs.GetManyAsync([.. entries.Select(e => BatchIds.JobIdFor(batch.Id, e.Index))], cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        await Parallel.ForEachAsync(found.Values.Where(j => !j.Status.IsTerminal()), new ParallelOptions { MaxDegreeOfParallelism = WriteConcurrency, CancellationToken = cancellationToken }, async (job, token) =>
        {
            // Queued: canceled now (its notice goes out when its message arrives). Running: its worker cancels.
            var canceled = await jobs.CancelAsync(job.Id, now, token).ConfigureAwait(false);
            if (!canceled.IsApplied && canceled.Job?.Status == JobStatus.Running)
            {
                await jobs.RequestCancelAsync(job.Id, now, token).ConfigureAwait(false);
            }
        }).ConfigureAwait(false);
        await queue.EnqueueBatchStepAsync(new BatchMessage(batch.Id, chunk + 1, Cancel: true), cancellationToken).ConfigureAwait(false);
        return MessageOutcome.Acknowledge($"chunk {chunk}'s jobs asked to cancel");
    }

    private async Task<MessageOutcome> FailAsync(JobBatch batch, string reason, CancellationToken cancellationToken)
    {
        await batches.FailAsync(batch.Id, new JobError("manifest_unreadable", reason), time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        await finisher.TryFinishAsync(batch.Id, cancellationToken).ConfigureAwait(false);
        return MessageOutcome.Acknowledge(reason);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Manifest read: {Items} items, {Invalid} invalid, {Chunks} chunks")]
    private static partial void LogManifest(ILogger logger, int items, int invalid, int chunks);

    [LoggerMessage(Level = LogLevel.Information, Message = "Step {Step}: {Jobs} jobs made")]
    private static partial void LogChunk(ILogger logger, int step, int jobs);
}
