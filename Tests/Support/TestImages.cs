using Jobs.Shared.Images;

namespace Jobs.Tests.Support;

/// <summary>Small PNGs with known pixels for the editing tests.</summary>
public static class TestImages
{
    public static readonly (byte R, byte G, byte B) Background = (20, 40, 200);
    public static readonly (byte R, byte G, byte B) Subject = (230, 200, 30);

    /// <summary>A blue picture with a yellow square in its middle third.</summary>
    public static byte[] Scene(int width, int height) =>
        Png(width, height, (x, y) => InMiddle(x, y, width, height) ? Subject : Background);

    /// <summary>A mask, white (change) in the middle third and black (keep) elsewhere; inverted when <paramref name="outside"/>.</summary>
    public static byte[] Mask(int width, int height, bool outside = false) =>
        Png(width, height, (x, y) => InMiddle(x, y, width, height) != outside ? ((byte)255, (byte)255, (byte)255) : ((byte)0, (byte)0, (byte)0));

    public static bool InMiddle(int x, int y, int width, int height) =>
        x >= width / 3 && x < width * 2 / 3 && y >= height / 3 && y < height * 2 / 3;

    public static byte[] Png(int width, int height, Func<int, int, (byte R, byte G, byte B)> pixel)
    {
        var rgb = new byte[width * height * 3];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var i = ((y * width) + x) * 3;
                (rgb[i], rgb[i + 1], rgb[i + 2]) = pixel(x, y);
            }
        }

        return PngEncoder.Encode(width, height, rgb);
    }

    public static (byte R, byte G, byte B, byte A) At(DecodedImage image, int x, int y)
    {
        var i = ((y * image.Width) + x) * 4;
        return (image.Rgba[i], image.Rgba[i + 1], image.Rgba[i + 2], image.Rgba[i + 3]);
    }
}
