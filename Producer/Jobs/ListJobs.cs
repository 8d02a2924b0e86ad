using Jobs.Shared.Requests;
using System.Globalization;
using System.Net;
using Jobs.Producer.Api;
using Jobs.Shared.Jobs;
using Jobs.Shared.Lambda;
using Jobs.Shared.Models;
using Jobs.Shared.Storage;

namespace Jobs.Producer.Jobs;

/// <summary>
/// <c>GET /jobs?status=…&amp;model=…&amp;createdAfter=…&amp;createdBefore=…&amp;limit=…&amp;cursor=…</c>:
/// the caller's jobs in one status, newest first, from the listing index.
/// </summary>
public sealed class ListJobs(IJobStore store, JobViews views, ModelCatalog catalog, ProducerOptions options)
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

        query.TryGetValue("model", out var model);
        if (model is not null && !catalog.TryGet(model, out _))
        {
            errors.Add(new FieldError("model", $"'{model}' is not a model of the catalog (GET /models)."));
        }

        var after = Time(query, "createdAfter", errors);
        var before = Time(query, "createdBefore", errors);
        if (after > before)
        {
            errors.Add(new FieldError("createdBefore", "must not be before createdAfter."));
        }

        query.TryGetValue("cursor", out var cursor);
        if (errors.Count == 0)
        {
            try
            {
                var page = await store.ListByStatusAsync(owner, status, limit, string.IsNullOrEmpty(cursor) ? null : cursor, cancellationToken, new JobListFilter(model, after, before)).ConfigureAwait(false);
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

    /// <summary>An ISO 8601 time with its offset (<c>2026-12-01T08:00:00Z</c>), or null when absent; a bad one is an error.</summary>
    private static DateTimeOffset? Time(IReadOnlyDictionary<string, string> query, string name, List<FieldError> errors)
    {
        if (!query.TryGetValue(name, out var text))
        {
            return null;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) && text.Contains('T', StringComparison.Ordinal))
        {
            return time.ToUniversalTime();
        }

        errors.Add(new FieldError(name, $"'{text}' is not a time such as 2026-12-01T08:00:00Z."));
        return null;
    }
}
