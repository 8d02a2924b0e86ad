using Jobs.Shared.Lambda;
using Jobs.Shared.Models;
using Jobs.Producer.Api;

namespace Jobs.Producer.Models;

/// <summary><c>GET /models</c>: the catalog with each model's lifecycle and rules.</summary>
public sealed class ListModels(ModelCatalog catalog)
{
    public HttpApiResponse Handle()
    {
        var items = catalog.Models
            .OrderBy(m => m.Lifecycle)
            .ThenBy(m => m.Id, StringComparer.Ordinal)
            .Select(m => new ModelView(
                m.Id,
                m.Name,
                m.Lifecycle,
                m.Id == catalog.DefaultModelId,
                m.Rules.PromptMaxLength,
                m.Rules.NegativePromptMaxLength,
                0,
                m.Rules.SeedMax,
                m.Rules.MaxCount,
                m.Rules.AspectRatios?.Keys.ToList(),
                m.Rules.AspectRatios,
                m.Rules.OutputFormats))
            .ToList();
        return ApiResults.Json(200, new ModelListView(catalog.DefaultModelId, items), ProducerJsonContext.Default.ModelListView);
    }
}
