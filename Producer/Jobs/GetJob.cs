using System.Net;
using Jobs.Producer.Api;
using Jobs.Shared.Jobs;
using Jobs.Shared.Storage;

namespace Jobs.Producer.Jobs;

/// <summary><c>GET /jobs/{id}</c>: the job, with presigned image URLs once it has succeeded.</summary>
public sealed class GetJob(IJobStore store, JobViews views)
{
    public async Task<Shared.Lambda.HttpApiResponse> HandleAsync(string id, string path, CancellationToken cancellationToken)
    {
        var job = JobIds.IsWellFormed(id) ? await store.GetAsync(id, cancellationToken).ConfigureAwait(false) : null;
        if (job is null)
        {
            return ApiResults.Problem(HttpStatusCode.NotFound, ProblemTypes.NotFound, "Job not found", $"There is no job '{id}'.", path);
        }

        var view = await views.ToViewAsync(job, cancellationToken).ConfigureAwait(false);
        return ApiResults.Json(200, view, ProducerJsonContext.Default.JobView);
    }
}
