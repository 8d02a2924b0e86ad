using System.Net;
using Jobs.Producer.Api;
using Jobs.Shared.Jobs;
using Jobs.Shared.Lambda;
using Jobs.Shared.Storage;

namespace Jobs.Producer.Jobs;

/// <summary>
/// <c>POST /jobs/{id}/cancel</c>. A queued job is canceled at once (<c>200</c>); a running one is
/// marked, and its worker cancels it instead of storing the result, or of waiting for capacity
/// (<c>202</c>, poll for the final status); canceling a canceled job again is a no-op <c>200</c>; a
/// succeeded or failed job is <c>409</c>. The <c>job.canceled</c> notice is sent by the consumer
/// when it meets the job (or by the reconciler).
/// </summary>
public sealed class CancelJob(IJobStore store, JobViews views, TimeProvider time)
{
    public async Task<HttpApiResponse> HandleAsync(string id, string owner, string path, CancellationToken cancellationToken)
    {
        var job = JobIds.IsWellFormed(id) ? await store.GetAsync(id, cancellationToken).ConfigureAwait(false) : null;
        // Another owner's job is answered as no job at all: its existence is not the caller's to learn.
        job = job?.Owner == owner ? job : null;
        // A few rounds cover a job that moved between queued and running while we asked; each
        // refused write hands back the job as it then was.
        for (var round = 0; round < 3 && job is not null; round++)
        {
            var now = time.GetUtcNow();
            switch (job.Status)
            {
                case JobStatus.Canceled:
                    return await ViewAsync(200, job, cancellationToken).ConfigureAwait(false);
                case JobStatus.Succeeded or JobStatus.Failed:
                    return ApiResults.Problem(
                        HttpStatusCode.Conflict,
                        ProblemTypes.Conflict,
                        "The job is already finished",
                        $"Job {job.Id} is {job.Status.ToName()}; only a queued or running job can be canceled.",
                        path);
            }

            var write = job.Status == JobStatus.Queued
                ? await store.CancelAsync(job.Id, now, cancellationToken).ConfigureAwait(false)
                : await store.RequestCancelAsync(job.Id, now, cancellationToken).ConfigureAwait(false);
            if (write.IsApplied)
            {
                return await ViewAsync(job.Status == JobStatus.Queued ? 200 : 202, write.Job!, cancellationToken).ConfigureAwait(false);
            }

            job = write.Job;
        }

        return job is null
            ? ApiResults.Problem(HttpStatusCode.NotFound, ProblemTypes.NotFound, "Job not found", $"There is no job '{id}'.", path)
            : ApiResults.Problem(HttpStatusCode.Conflict, ProblemTypes.Conflict, "The job keeps changing", "Try the cancel again.", path);
    }

    private async Task<HttpApiResponse> ViewAsync(int status, Job job, CancellationToken cancellationToken) =>
        ApiResults.Json(status, await views.ToViewAsync(job, cancellationToken).ConfigureAwait(false), ProducerJsonContext.Default.JobView);
}
