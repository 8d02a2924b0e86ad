using System.Net;
using Jobs.Producer.Api;
using Jobs.Shared.Batches;
using Jobs.Shared.Jobs;
using Jobs.Shared.Lambda;
using Jobs.Shared.Queue;
using Jobs.Shared.Storage;

namespace Jobs.Producer.Batches;

/// <summary>
/// <c>POST /batches/{id}/cancel</c>: records the cancel and hands the work to the consumer, which
/// stops the expansion (items not yet made are skipped) and cancels every made job not yet finished,
/// a chunk per message. Answers 202 with the batch as it then is; a finished batch is 409.
/// </summary>
public sealed class CancelBatch(IBatchStore batches, IJobQueue queue, BatchViews views, TimeProvider time)
{
    public async Task<HttpApiResponse> HandleAsync(string id, string owner, string path, CancellationToken cancellationToken)
    {
        var batch = JobIds.IsWellFormed(id) ? await batches.GetAsync(id, cancellationToken).ConfigureAwait(false) : null;
        if (batch is null || batch.Owner != owner)
        {
            return ApiResults.Problem(HttpStatusCode.NotFound, ProblemTypes.NotFound, "Batch not found", $"There is no batch '{id}'.", path);
        }

        if (!await batches.RequestCancelAsync(id, time.GetUtcNow(), cancellationToken).ConfigureAwait(false))
        {
            return ApiResults.Problem(HttpStatusCode.Conflict, ProblemTypes.Conflict, "Batch already finished", $"Batch '{id}' is {batch.Status.ToString().ToLowerInvariant()}; there is nothing left to cancel.", path);
        }

        await queue.EnqueueBatchStepAsync(new BatchMessage(id, 0, Cancel: true), cancellationToken).ConfigureAwait(false);
        batch = await batches.GetAsync(id, cancellationToken).ConfigureAwait(false) ?? batch;
        return ApiResults.Json(202, await views.ToViewAsync(batch, cancellationToken).ConfigureAwait(false), ProducerJsonContext.Default.BatchView);
    }
}
