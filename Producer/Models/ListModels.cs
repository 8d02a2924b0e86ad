using Jobs.Producer.Api;
using Jobs.Shared.Lambda;
using Jobs.Shared.Models;

namespace Jobs.Producer.Models;

/// <summary><c>GET /models</c>: the catalog with each model's lifecycle (as of today) and rules.</summary>
public sealed class ListModels(ModelCatalog catalog, TimeProvider time)
{
    public HttpApiResponse Handle()
    {
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var items = catalog.Models
            .Select(m => new ModelView(m.Id, m.Name, m.Family, m.LifecycleOn(today), m.EndOfLife, m.Id == catalog.DefaultModelId, m.Rules, m.Price, m.InvokeId, m.TextToImage, [.. m.Tasks.Values]))
            .OrderBy(m => m.Status)
            .ThenBy(m => m.Id, StringComparer.Ordinal)
            .ToList();
        var defaults = Shared.Models.Tasks.ImageTasks.All
            .Select(t => (Task: t, Model: catalog.DefaultFor(t)))
            .Where(d => d.Model is not null)
            .ToDictionary(d => d.Task, d => d.Model!, StringComparer.Ordinal);
        return ApiResults.Json(200, new ModelListView(catalog.DefaultModelId, defaults, items), ProducerJsonContext.Default.ModelListView);
    }
}
