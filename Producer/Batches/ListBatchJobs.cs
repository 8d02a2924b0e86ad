using System.Globalization;
using System.Net;
using Jobs.Producer.Api;
using Jobs.Producer.Jobs;
using Jobs.Shared.Batches;
using Jobs.Shared.Jobs;
using Jobs.Shared.Lambda;
using Jobs.Shared.Requests;
using Jobs.Shared.Storage;

namespace Jobs.Producer.Batches;

/// <summary>
/// <c>GET /batches/{id}/jobs?status=…&amp;from=…&amp;limit=…</c>: the batch's jobs in manifest order.
/// A batch job's id is derived from the batch and the item's index, so a page is read by index,
/// a hundred ids to a request, with no index of its own.
/// </summary>
public sealed class ListBatchJobs(IBatchStore batches, IJobStore jobs, JobViews views, ProducerOptions options)
{
    /// <summary>Ids read per request while filling a page.</summary>
    private const int Window = 100;

    /// <summary>Items looked at for one page at most, so a rare status cannot make one request read a whole batch.</summary>
    private const int MaxScanned = 2_000;

    public async Task<HttpApiResponse> HandleAsync(string id, HttpApiRequest request, string owner, string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var batch = JobIds.IsWellFormed(id) ? await batches.GetAsync(id, cancellationToken).ConfigureAwait(false) : null;
        if (batch is null || batch.Owner != owner)
        {
            return ApiResults.Problem(HttpStatusCode.NotFound, ProblemTypes.NotFound, "Batch not found", $"There is no batch '{id}'.", path);
        }

        var query = request.QueryStringParameters ?? new Dictionary<string, string>();
        var errors = new List<FieldError>();
        JobStatus? status = null;
        if (query.TryGetValue("status", out var statusText))
        {
            if (JobStatusNames.TryParse(statusText, out var parsed))
            {
                status = parsed;
            }
            else
            {
                errors.Add(new FieldError("status", $"'{statusText}' is not a status: one of {JobStatusNames.All}."));
            }
        }

        var limit = options.DefaultPageSize;
        if (query.TryGetValue("limit", out var limitText) &&
            (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > options.MaxPageSize))
        {
            errors.Add(new FieldError("limit", $"must be a whole number from 1 to {options.MaxPageSize}."));
        }

        var from = 0;
        if (query.TryGetValue("from", out var fromText) && (!int.TryParse(fromText, NumberStyles.None, CultureInfo.InvariantCulture, out from) || from < 0))
        {
            errors.Add(new FieldError("from", "must be an item index, 0 or more (the nextFrom of the previous page)."));
        }

        if (errors.Count > 0)
        {
            return ApiResults.Problem(HttpStatusCode.BadRequest, ProblemTypes.Validation, "The query is not valid", string.Join(" ", errors.Select(e => $"{e.Field} {e.Message}")), request.RawPath, errors);
        }

        var total = batch.Total ?? 0;
        var items = new List<JobView>(limit);
        var index = from;
        while (index < total && items.Count < limit && index - from < MaxScanned)
        {
            var window = Enumerable.Range(index, Math.Min(Window, total - index)).ToList();
            var found = await jobs.GetManyAsync([.. window.Select(i => BatchIds.JobIdFor(batch.Id, i))], cancellationToken).ConfigureAwait(false);
            foreach (var i in window)
            {
                index = i + 1;
                if (found.TryGetValue(BatchIds.JobIdFor(batch.Id, i), out var job) && (status is null || job.Status == status))
                {
                    items.Add(await views.ToViewAsync(job, cancellationToken).ConfigureAwait(false));
                    if (items.Count == limit)
                    {
                        break;
                    }
                }
            }
        }

        return ApiResults.Json(200, new BatchJobsView(items, index < total ? index : null), ProducerJsonContext.Default.BatchJobsView);
    }
}
