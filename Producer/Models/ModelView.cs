using Jobs.Shared.Models;

namespace Jobs.Producer.Models;

/// <summary>A model and its parameter rules, so clients can build valid requests without trial and error.</summary>
public sealed record ModelView(
    string Id,
    string Name,
    ModelLifecycle Status,
    bool IsDefault,
    int PromptMaxLength,
    int NegativePromptMaxLength,
    long SeedMin,
    long SeedMax,
    int MaxCount,
    IReadOnlyList<string>? AspectRatios,
    IReadOnlyDictionary<string, ImageSize>? SizeByAspectRatio,
    IReadOnlyList<string> OutputFormats);
