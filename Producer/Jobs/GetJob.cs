using System.Net;
using Jobs.Producer.Api;
using Jobs.Shared.Jobs;
using Jobs.Shared.Storage;

namespace Jobs.Producer.Jobs;

/// <summary>
/// <c>GET /jobs/{id}</c>: the job, with presigned image URLs once it has succeeded. With
/// <c>Prefer: wait=N</c> the answer waits up to N seconds for the job to finish: 200 when it has,
/// 202 when it is still on its way, either with <c>Preference-Applied</c>.
/// </summary>
public sealed class GetJob(IJobStore store, JobViews views, JobWaiter waiter)
{
    public async Task<Shared.Lambda.HttpApiResponse> HandleAsync(string id, string owner, string path, int? waitSeconds, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        var job = JobIds.IsWellFormed(id) ? await store.GetAsync(id, cancellationToken).ConfigureAwait(false) : null;
        // Another owner's job is answered as no job at all: its existence is not the caller's to learn.
        job = job?.Owner == owner ? job : null;
        if (job is null)
        {
            return ApiResults.Problem(HttpStatusCode.NotFound, ProblemTypes.NotFound, "Job not found", $"There is no job '{id}'.", path);
        }

        if (waitSeconds is not { } seconds)
        {
            return ApiResults.Json(200, await views.ToViewAsync(job, cancellationToken).ConfigureAwait(false), ProducerJsonContext.Default.JobView);
        }

        job = await waiter.WaitAsync(job, TimeSpan.FromSeconds(seconds), deadline, cancellationToken).ConfigureAwait(false);
        return ApiResults.Json(
            job.Status.IsTerminal() ? 200 : 202,
            await views.ToViewAsync(job, cancellationToken).ConfigureAwait(false),
            ProducerJsonContext.Default.JobView,
            new Dictionary<string, string> { ["preference-applied"] = $"wait={seconds}" });
    }
}
