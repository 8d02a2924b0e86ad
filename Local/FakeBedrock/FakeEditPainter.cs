using System.Security.Cryptography;
using System.Text;
using Jobs.Shared.Images;

namespace Jobs.Local.FakeBedrock;

/// <summary>
/// The fake's edits: deterministic pictures derived from the input, so a test can tell that the
/// right input reached the right task. The changed region takes the prompt's colour; background
/// removal makes the colour of the top-left pixel transparent; upscaling repeats pixels. An input
/// this reader cannot decode (JPEG, WEBP) is answered with a painting of its size.
/// </summary>
public static class FakeEditPainter
{
    /// <summary>The colour a prompt paints with (the first three bytes of its SHA-256).</summary>
    public static (byte R, byte G, byte B) ColourOf(string prompt)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(prompt));
        return (hash[0], hash[1], hash[2]);
    }

    /// <summary>Pixels where <paramref name="changed"/> holds take the prompt's colour; the rest stay.</summary>
    public static byte[] Fill(DecodedImage image, string prompt, Func<int, int, bool> changed) => Fill(image, ColourOf(prompt), changed);

    public static byte[] Fill(DecodedImage image, (byte R, byte G, byte B) colour, Func<int, int, bool> changed)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(changed);
        var rgb = Rgb(image);
        for (var y = 0; y < image.Height; y++)
        {
            for (var x = 0; x < image.Width; x++)
            {
                if (changed(x, y))
                {
                    var i = ((y * image.Width) + x) * 3;
                    (rgb[i], rgb[i + 1], rgb[i + 2]) = colour;
                }
            }
        }

        return PngEncoder.Encode(image.Width, image.Height, rgb);
    }

    /// <summary>The mean colour of an image: what "erased" fills with.</summary>
    public static (byte R, byte G, byte B) Mean(DecodedImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        long r = 0, g = 0, b = 0;
        var n = image.Width * image.Height;
        for (var i = 0; i < n; i++)
        {
            r += image.Rgba[i * 4];
            g += image.Rgba[(i * 4) + 1];
            b += image.Rgba[(i * 4) + 2];
        }

        return ((byte)(r / n), (byte)(g / n), (byte)(b / n));
    }

    /// <summary>The image on a larger canvas of the prompt's colour, placed <paramref name="left"/> and <paramref name="up"/> pixels in.</summary>
    public static byte[] Extend(DecodedImage image, string prompt, int left, int right, int up, int down)
    {
        ArgumentNullException.ThrowIfNull(image);
        var (width, height) = (image.Width + left + right, image.Height + up + down);
        var colour = ColourOf(prompt);
        var rgb = new byte[width * height * 3];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var (sx, sy) = (x - left, y - up);
                var i = ((y * width) + x) * 3;
                if (sx >= 0 && sy >= 0 && sx < image.Width && sy < image.Height)
                {
                    var s = ((sy * image.Width) + sx) * 4;
                    (rgb[i], rgb[i + 1], rgb[i + 2]) = (image.Rgba[s], image.Rgba[s + 1], image.Rgba[s + 2]);
                }
                else
                {
                    (rgb[i], rgb[i + 1], rgb[i + 2]) = colour;
                }
            }
        }

        return PngEncoder.Encode(width, height, rgb);
    }

    /// <summary>RGBA, transparent wherever a pixel has the top-left pixel's colour (the "background").</summary>
    public static byte[] RemoveBackground(DecodedImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var rgba = (byte[])image.Rgba.Clone();
        var (r, g, b) = (rgba[0], rgba[1], rgba[2]);
        for (var i = 0; i < image.Width * image.Height; i++)
        {
            var background = Math.Abs(rgba[i * 4] - r) + Math.Abs(rgba[(i * 4) + 1] - g) + Math.Abs(rgba[(i * 4) + 2] - b) < 24;
            rgba[(i * 4) + 3] = background ? (byte)0 : (byte)255;
        }

        return PngEncoder.Encode(image.Width, image.Height, rgba, channels: 4);
    }

    /// <summary>Each pixel repeated <paramref name="factor"/> times each way.</summary>
    public static byte[] Upscale(DecodedImage image, int factor)
    {
        ArgumentNullException.ThrowIfNull(image);
        var (width, height) = (image.Width * factor, image.Height * factor);
        var rgb = new byte[width * height * 3];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var s = (((y / factor) * image.Width) + (x / factor)) * 4;
                var i = ((y * width) + x) * 3;
                (rgb[i], rgb[i + 1], rgb[i + 2]) = (image.Rgba[s], image.Rgba[s + 1], image.Rgba[s + 2]);
            }
        }

        return PngEncoder.Encode(width, height, rgb);
    }

    /// <summary>The input half-way to the prompt's painting: a "variation" or a guided generation.</summary>
    public static byte[] Blend(DecodedImage image, string prompt, long seed)
    {
        ArgumentNullException.ThrowIfNull(image);
        var painted = PngDecoder.TryDecode(ImagePainter.PaintPng(prompt, seed, image.Width, image.Height))!;
        var rgb = new byte[image.Width * image.Height * 3];
        for (var i = 0; i < image.Width * image.Height; i++)
        {
            for (var c = 0; c < 3; c++)
            {
                rgb[(i * 3) + c] = (byte)((image.Rgba[(i * 4) + c] + painted.Rgba[(i * 4) + c]) / 2);
            }
        }

        return PngEncoder.Encode(image.Width, image.Height, rgb);
    }

    private static byte[] Rgb(DecodedImage image)
    {
        var rgb = new byte[image.Width * image.Height * 3];
        for (var i = 0; i < image.Width * image.Height; i++)
        {
            rgb[i * 3] = image.Rgba[i * 4];
            rgb[(i * 3) + 1] = image.Rgba[(i * 4) + 1];
            rgb[(i * 3) + 2] = image.Rgba[(i * 4) + 2];
        }

        return rgb;
    }
}
