namespace Jobs.Shared.Models;

/// <summary>
/// The parameter rules of one model, as Bedrock enforces them. Validation reads these so a client
/// learns a rule from a 400 before anything is queued rather than from a failed job later, and
/// <c>GET /models</c> publishes them so clients can build valid requests in the first place.
/// A model is sized either by aspect ratio (<see cref="AspectRatios"/>) or by width and height
/// (<see cref="Sizes"/> or <see cref="FreeSize"/>), never both.
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
    /// <summary>Aspect ratios and the pixel size the model returns for each.</summary>
    public IReadOnlyDictionary<string, ImageSize>? AspectRatios { get; init; }
    public string? DefaultAspectRatio { get; init; }
    /// <summary>The only width × height pairs the model accepts.</summary>
    public IReadOnlyList<ImageSize>? Sizes { get; init; }
    /// <summary>Limits on a freely chosen width and height.</summary>
    public FreeSizeRule? FreeSize { get; init; }
    /// <summary>Size used when a width-and-height model's request gives none.</summary>
    public ImageSize? DefaultSize { get; init; }
    /// <summary>Styles the model knows; null when it takes no style.</summary>
    public IReadOnlyList<string>? Styles { get; init; }
    /// <summary>Quality levels; null when the model has no quality setting.</summary>
    public IReadOnlyList<string>? Qualities { get; init; }
    /// <summary>How strictly the image follows the prompt; null when the model takes no cfgScale.</summary>
    public NumberRange? CfgScale { get; init; }
    /// <summary>Diffusion steps; null when the model takes no steps.</summary>
    public NumberRange? Steps { get; init; }
    public required IReadOnlyList<string> OutputFormats { get; init; }

    /// <summary>True when the model is sized by width and height instead of aspect ratio.</summary>
    public bool SizedByPixels => Sizes is not null || FreeSize is not null;
}
