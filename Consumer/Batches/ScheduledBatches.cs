using Amazon.DynamoDBv2.Model;
using Jobs.Shared.Batches;
using Jobs.Shared.Queue;
using Jobs.Shared.Storage;
using JobBatch = Jobs.Shared.Batches.Batch;

namespace Jobs.Consumer.Batches;

/// <summary>
/// Starts the batch of a scheduled run (EventBridge Scheduler invokes the consumer with
/// <c>{"scheduledBatch": …}</c>): the batch's id comes from the schedule's name and the run's
/// scheduled time, so the scheduler's retries, or two invocations for one run, make one batch.
/// </summary>
public sealed class ScheduledBatches(IBatchStore batches, IJobQueue queue, JobStoreOptions storeOptions, TimeProvider time)
{
    /// <returns>The batch's id, or null when the request cannot name a run.</returns>
    public async Task<string?> StartAsync(ScheduledBatchRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request is not { Name.Length: > 0, Bucket.Length: > 0, Key.Length: > 0, ScheduledTime.Length: > 0 })
        {
            return null;
        }

        var id = ScheduledId(request.Name, request.ScheduledTime);
        var now = time.GetUtcNow();
        try
        {
            await batches.CreateAsync(new JobBatch
            {
                Id = id,
                Owner = request.Owner ?? $"schedule:{request.Name}",
                Status = BatchStatus.Expanding,
                Manifest = new OutputLocation(request.Bucket, request.Key),
                CreatedAt = now,
                UpdatedAt = now,
                ExpiresAt = now + storeOptions.Retention,
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (ConditionalCheckFailedException)
        {
            // This run's batch exists: its first step was queued by whoever made it (or the reconciler re-sends it).
            return id;
        }

        await queue.EnqueueBatchStepAsync(new BatchMessage(id, 0), cancellationToken).ConfigureAwait(false);
        return id;
    }

    /// <summary>The batch id of one schedule's one run.</summary>
    public static string ScheduledId(string name, string scheduledTime) => BatchIds.JobIdFor($"schedule:{name}@{scheduledTime}", 0);
}
