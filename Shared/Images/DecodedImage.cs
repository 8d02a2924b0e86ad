namespace Jobs.Shared.Images;

/// <summary>An image's pixels as RGBA rows, top to bottom, four bytes a pixel.</summary>
public sealed record DecodedImage(int Width, int Height, byte[] Rgba)
{
    /// <summary>The image's grey level at a pixel (the mean of its colour channels).</summary>
    public int Lightness(int x, int y)
    {
        var i = ((y * Width) + x) * 4;
        return (Rgba[i] + Rgba[i + 1] + Rgba[i + 2]) / 3;
    }
}
