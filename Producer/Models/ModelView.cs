using Jobs.Shared.Models;

namespace Jobs.Producer.Models;

/// <summary>
/// A model, its lifecycle today and its parameter rules, so clients can build valid requests
/// without trial and error and see which models are about to go away.
/// </summary>
public sealed record ModelView(
    string Id,
    string Name,
    ModelFamily Family,
    ModelLifecycle Status,
    DateOnly? EndOfLife,
    bool IsDefault,
    ModelRules Rules,
    ImagePrice? PricePerImageUsd,
    string InvokeId,
    bool TextToImage,
    IReadOnlyList<Shared.Models.Tasks.TaskOffer> Tasks);
