namespace Jobs.Producer.Models;

/// <summary>The answer of <c>GET /models</c>: the catalog, and which model runs each task when a request names none.</summary>
public sealed record ModelListView(string DefaultModel, IReadOnlyDictionary<string, string> DefaultModelByTask, IReadOnlyList<ModelView> Items);
