using System.Globalization;
using System.Net;
using Jobs.Producer.Api;
using Jobs.Shared.Lambda;
using Jobs.Shared.Requests;
using Jobs.Shared.Storage;

namespace Jobs.Producer.Batches;

/// <summary><c>GET /batches?limit=…&amp;before=…</c>: the caller's batches, newest first.</summary>
public sealed class ListBatches(IBatchStore batches, BatchViews views, ProducerOptions options)
{
    public async Task<HttpApiResponse> HandleAsync(HttpApiRequest request, string owner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var query = request.QueryStringParameters ?? new Dictionary<string, string>();
        var errors = new List<FieldError>();
        var limit = options.DefaultPageSize;
        if (query.TryGetValue("limit", out var limitText) &&
            (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > options.MaxPageSize))
        {
            errors.Add(new FieldError("limit", $"must be a whole number from 1 to {options.MaxPageSize}."));
        }

        DateTimeOffset? before = null;
        if (query.TryGetValue("before", out var beforeText))
        {
            if (DateTimeOffset.TryParse(beforeText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
            {
                before = parsed;
            }
            else
            {
                errors.Add(new FieldError("before", "must be an ISO 8601 time (the nextBefore of the previous page)."));
            }
        }

        if (errors.Count > 0)
        {
            return ApiResults.Problem(HttpStatusCode.BadRequest, ProblemTypes.Validation, "The query is not valid", string.Join(" ", errors.Select(e => $"{e.Field} {e.Message}")), request.RawPath, errors);
        }

        var (items, more) = await batches.ListAsync(owner, limit, before, cancellationToken).ConfigureAwait(false);
        var viewsOfItems = new List<BatchView>(items.Count);
        foreach (var batch in items)
        {
            viewsOfItems.Add(await views.ToViewAsync(batch, cancellationToken).ConfigureAwait(false));
        }

        return ApiResults.Json(200, new BatchListView(viewsOfItems, more && items.Count > 0 ? items[^1].CreatedAt : null), ProducerJsonContext.Default.BatchListView);
    }
}
