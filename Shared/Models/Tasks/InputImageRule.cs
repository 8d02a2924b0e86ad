namespace Jobs.Shared.Models.Tasks;

/// <summary>
/// What an input image must be for a model: its formats, each side's bounds, its pixel count and
/// aspect ratio (longer side over shorter), as the model's documentation states them.
/// </summary>
public sealed record InputImageRule(IReadOnlyList<string> Formats, int MinSide, int MaxSide, long MinPixels, long MaxPixels, double MaxAspectRatio)
{
    /// <summary>Why an image of this format and size breaks the rule, or null when it is allowed.</summary>
    public string? Check(string format, int width, int height)
    {
        if (!Formats.Contains(format, StringComparer.Ordinal))
        {
            return $"is a {format.ToUpperInvariant()} image; this model reads {string.Join(", ", Formats.Select(f => f.ToUpperInvariant()))}";
        }

        if (Math.Min(width, height) < MinSide || Math.Max(width, height) > MaxSide)
        {
            return $"is {width}×{height}; each side must be between {MinSide} and {MaxSide} pixels";
        }

        var pixels = (long)width * height;
        if (pixels < MinPixels || pixels > MaxPixels)
        {
            return $"is {width}×{height} ({pixels} pixels); it must have between {MinPixels} and {MaxPixels} pixels";
        }

        var ratio = Math.Max(width, height) / (double)Math.Min(width, height);
        if (ratio > MaxAspectRatio + 1e-9)
        {
            return $"is {width}×{height}; its aspect ratio must be between 1:{MaxAspectRatio} and {MaxAspectRatio}:1";
        }

        return null;
    }
}
