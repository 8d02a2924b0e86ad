using System.Globalization;
using System.Net;
using Jobs.Producer.Api;
using Jobs.Shared.Jobs;
using Jobs.Shared.Lambda;
using Jobs.Shared.Storage;

namespace Jobs.Producer.Jobs;

/// <summary><c>GET /jobs?status=…&amp;limit=…&amp;cursor=…</c>: the caller's jobs in one status, newest first, from the listing index.</summary>
public sealed class ListJobs(IJobStore store, JobViews views, ProducerOptions options)
{
    public async Task<HttpApiResponse> HandleAsync(HttpApiRequest request, string owner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var query = request.QueryStringParameters ?? new Dictionary<string, string>();
        var errors = new List<FieldError>();

        query.TryGetValue("status", out var statusText);
        if (!JobStatusNames.TryParse(statusText, out var status))
        {
            errors.Add(new FieldError("status", statusText is null
                ? $"is required: one of {JobStatusNames.All}."
                : $"'{statusText}' is not a status: one of {JobStatusNames.All}."));
        }

        var limit = options.DefaultPageSize;
        if (query.TryGetValue("limit", out var limitText) &&
            (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > options.MaxPageSize))
        {
            errors.Add(new FieldError("limit", $"must be a whole number from 1 to {options.MaxPageSize}."));
        }

        query.TryGetValue("cursor", out var cursor);
        if (errors.Count == 0)
        {
            try
            {
                var page = await store.ListByStatusAsync(owner, status, limit, string.IsNullOrEmpty(cursor) ? null : cursor, cancellationToken).ConfigureAwait(false);
                var items = new List<JobView>(page.Items.Count);
                foreach (var job in page.Items)
                {
                    items.Add(await views.ToViewAsync(job, cancellationToken).ConfigureAwait(false));
                }

                return ApiResults.Json(200, new JobListView(items, page.NextCursor), ProducerJsonContext.Default.JobListView);
            }
            catch (InvalidCursorException ex)
            {
                errors.Add(new FieldError("cursor", ex.Message));
            }
        }

        return ApiResults.Problem(
            HttpStatusCode.BadRequest,
            ProblemTypes.Validation,
            "The query is not valid",
            string.Join(" ", errors.Select(e => $"{e.Field} {e.Message}")),
            request.RawPath,
            errors);
    }
}
