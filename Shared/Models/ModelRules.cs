namespace Jobs.Shared.Models;

/// <summary>
/// The parameter rules of one model, as Bedrock enforces them. Validation reads these so a client
/// learns a rule from a 400 before anything is queued rather than from a failed job later.
/// </summary>
public sealed record ModelRules
{
    /// <summary>Longest prompt in characters.</summary>
    public required int PromptMaxLength { get; init; }
    /// <summary>Longest negative prompt in characters.</summary>
    public required int NegativePromptMaxLength { get; init; }
    /// <summary>Largest seed the model takes; the smallest is 0.</summary>
    public required long SeedMax { get; init; }
    /// <summary>Most images one job may ask for.</summary>
    public required int MaxCount { get; init; }
    /// <summary>Aspect ratios and the pixel size the model returns for each; null when the model is sized by width and height.</summary>
    public IReadOnlyDictionary<string, ImageSize>? AspectRatios { get; init; }
    public string? DefaultAspectRatio { get; init; }
    public required IReadOnlyList<string> OutputFormats { get; init; }
}
