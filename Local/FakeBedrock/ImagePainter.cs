using System.Security.Cryptography;
using System.Text;
using Jobs.Shared.Images;

namespace Jobs.Local.FakeBedrock;

/// <summary>
/// Paints a picture that depends only on the prompt and seed: a sky gradient, a sun and rolling
/// hills in colours drawn from a hash. Not art, but a person can see that two prompts differ and
/// that the same prompt and seed give the same image.
/// </summary>
public static class ImagePainter
{
    public static byte[] PaintPng(string prompt, long seed, int width, int height)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{seed}:{prompt}"));
        (byte R, byte G, byte B) Colour(int i) => (hash[i], hash[i + 1], hash[i + 2]);
        var top = Colour(0);
        var bottom = Colour(3);
        var sun = Colour(6);
        var hill = Colour(9);
        var sunX = width * (0.2 + (hash[12] / 255.0 * 0.6));
        var sunY = height * (0.15 + (hash[13] / 255.0 * 0.3));
        var sunRadius = Math.Min(width, height) * (0.06 + (hash[14] / 255.0 * 0.08));
        var waves = 1 + (hash[15] % 4);
        var phase = hash[16] / 255.0 * Math.PI * 2;

        // Per column and per row once, not per pixel: the benchmark runs thousands of these on two
        // cores, and the fake's painting should cost little beside the service it stands next to.
        var horizon = new double[width];
        for (var x = 0; x < width; x++)
        {
            horizon[x] = height * (0.62 + (0.12 * Math.Sin((x * waves * Math.PI * 2 / width) + phase)));
        }

        var pixels = new byte[width * height * 3];
        for (var y = 0; y < height; y++)
        {
            var t = (double)y / Math.Max(1, height - 1);
            var sky = ((byte)(top.R + ((bottom.R - top.R) * t)), (byte)(top.G + ((bottom.G - top.G) * t)), (byte)(top.B + ((bottom.B - top.B) * t)));
            var dy = y - sunY;
            var sunHalfWidth = dy * dy < sunRadius * sunRadius ? Math.Sqrt((sunRadius * sunRadius) - (dy * dy)) : -1;
            var row = pixels.AsSpan(y * width * 3, width * 3);
            for (var x = 0; x < width; x++)
            {
                (byte R, byte G, byte B) c;
                if (y > horizon[x])
                {
                    var shade = 0.6 + (0.4 * (1 - ((y - horizon[x]) / (height - horizon[x] + 1))));
                    c = ((byte)(hill.R * shade), (byte)(hill.G * shade), (byte)(hill.B * shade));
                }
                else if (Math.Abs(x - sunX) < sunHalfWidth)
                {
                    c = sun;
                }
                else
                {
                    c = sky;
                }

                row[x * 3] = c.R;
                row[(x * 3) + 1] = c.G;
                row[(x * 3) + 2] = c.B;
            }
        }

        return PngEncoder.Encode(width, height, pixels);
    }

    /// <summary>The seed a model reports when asked for a random one (seed 0): fixed per prompt here, so runs repeat.</summary>
    public static long SeedFor(string prompt)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(prompt));
        return 1 + (BitConverter.ToUInt32(hash, 0) % 4_294_967_294L);
    }
}
