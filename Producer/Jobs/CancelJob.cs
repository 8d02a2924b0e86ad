using System.Net;
using Jobs.Producer.Api;
using Jobs.Shared.Jobs;
using Jobs.Shared.Lambda;
using Jobs.Shared.Storage;

namespace Jobs.Producer.Jobs;

/// <summary>
/// <c>POST /jobs/{id}/cancel</c>. A queued job is canceled at once (<c>200</c>); a running one is
/// marked, and its worker cancels it instead of storing the result (<c>202</c>, poll for the final
/// status); canceling a canceled job again is a no-op <c>200</c>; a succeeded or failed job is
/// <c>409</c>. The <c>job.canceled</c> notice is sent by the consumer when it meets the job.
/// </summary>
public sealed class CancelJob(IJobStore store, JobViews views, TimeProvider time)
{
    public async Task<HttpApiResponse> HandleAsync(string id, string path, CancellationToken cancellationToken)
    {
        // A few rounds cover a job that moved between queued and running while we asked.
        for (var round = 0; round < 3; round++)
        {
            var job = JobIds.IsWellFormed(id) ? await store.GetAsync(id, cancellationToken).ConfigureAwait(false) : null;
            if (job is null)
            {
                return ApiResults.Problem(HttpStatusCode.NotFound, ProblemTypes.NotFound, "Job not found", $"There is no job '{id}'.", path);
            }

            var now = time.GetUtcNow();
            switch (job.Status)
            {
                case JobStatus.Canceled:
                    return await ViewAsync(200, job.Id, cancellationToken).ConfigureAwait(false);
                case JobStatus.Succeeded or JobStatus.Failed:
                    return ApiResults.Problem(
                        HttpStatusCode.Conflict,
                        ProblemTypes.Conflict,
                        "The job is already finished",
                        $"Job {job.Id} is {job.Status.ToName()}; only a queued or running job can be canceled.",
                        path);
                case JobStatus.Queued when await store.TryCancelQueuedAsync(job.Id, now, cancellationToken).ConfigureAwait(false):
                    return await ViewAsync(200, job.Id, cancellationToken).ConfigureAwait(false);
                case JobStatus.Running when await store.TryRequestCancelAsync(job.Id, now, cancellationToken).ConfigureAwait(false):
                    return await ViewAsync(202, job.Id, cancellationToken).ConfigureAwait(false);
            }
        }

        return ApiResults.Problem(HttpStatusCode.Conflict, ProblemTypes.Conflict, "The job keeps changing", "Try the cancel again.", path);
    }

    private async Task<HttpApiResponse> ViewAsync(int status, string id, CancellationToken cancellationToken)
    {
        var job = await store.GetAsync(id, cancellationToken).ConfigureAwait(false);
        return ApiResults.Json(status, await views.ToViewAsync(job!, cancellationToken).ConfigureAwait(false), ProducerJsonContext.Default.JobView);
    }
}
