namespace Jobs.Shared.Models;

/// <summary>
/// Sizing for models that take any width and height within limits (Nova Canvas) rather than a
/// fixed list: each side within bounds and a multiple of a step, the aspect ratio bounded, and the
/// pixel count below a cap.
/// </summary>
public sealed record FreeSizeRule(int MinSide, int MaxSide, int Multiple, double MaxAspectRatio, long MaxPixelsExclusive)
{
    /// <summary>Why the size breaks the rule, or null when it is allowed.</summary>
    public string? Check(int width, int height)
    {
        if (width < MinSide || width > MaxSide || height < MinSide || height > MaxSide)
        {
            return $"each side must be between {MinSide} and {MaxSide} pixels";
        }

        if (width % Multiple != 0 || height % Multiple != 0)
        {
            return $"each side must be a multiple of {Multiple}";
        }

        var ratio = Math.Max(width, height) / (double)Math.Min(width, height);
        if (ratio > MaxAspectRatio)
        {
            return $"the aspect ratio must be between 1:{MaxAspectRatio} and {MaxAspectRatio}:1";
        }

        if ((long)width * height >= MaxPixelsExclusive)
        {
            return $"width × height must be below {MaxPixelsExclusive} pixels";
        }

        return null;
    }
}
