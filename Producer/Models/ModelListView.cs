namespace Jobs.Producer.Models;

/// <summary>The answer of <c>GET /models</c>.</summary>
public sealed record ModelListView(string DefaultModel, IReadOnlyList<ModelView> Items);
