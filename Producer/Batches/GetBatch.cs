using System.Net;
using Jobs.Producer.Api;
using Jobs.Shared.Jobs;
using Jobs.Shared.Lambda;
using Jobs.Shared.Storage;

namespace Jobs.Producer.Batches;

/// <summary><c>GET /batches/{id}</c>: the batch's progress; another owner's batch is 404, like a job.</summary>
public sealed class GetBatch(IBatchStore batches, BatchViews views)
{
    public async Task<HttpApiResponse> HandleAsync(string id, string owner, string path, CancellationToken cancellationToken)
    {
        var batch = JobIds.IsWellFormed(id) ? await batches.GetAsync(id, cancellationToken).ConfigureAwait(false) : null;
        if (batch is null || batch.Owner != owner)
        {
            return ApiResults.Problem(HttpStatusCode.NotFound, ProblemTypes.NotFound, "Batch not found", $"There is no batch '{id}'.", path);
        }

        return ApiResults.Json(200, await views.ToViewAsync(batch, cancellationToken).ConfigureAwait(false), ProducerJsonContext.Default.BatchView);
    }
}
