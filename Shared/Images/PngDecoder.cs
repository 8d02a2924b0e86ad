using System.Buffers.Binary;
using System.IO.Compression;

namespace Jobs.Shared.Images;

/// <summary>
/// Reads non-interlaced 8-bit PNGs (grey, grey+alpha, RGB, RGBA, palette) into RGBA pixels. Titan and
/// Nova want a mask as pure black and white with black marking the region to change, the opposite of
/// the convention this service's API shares with Stability, so the consumer must read a mask's pixels
/// to rewrite it; nothing heavier than this is needed for that.
/// </summary>
public static class PngDecoder
{
    /// <summary>The image's RGBA pixels, or null when it is not a PNG this reader handles.</summary>
    public static DecodedImage? TryDecode(ReadOnlySpan<byte> png)
    {
        if (!ImageHeader.TryRead(png, out var header) || header.Format != ImageFormats.Png)
        {
            return null;
        }

        int colourType = -1, bitDepth = 0, interlace = 0;
        byte[]? palette = null;
        byte[]? paletteAlpha = null;
        using var idat = new MemoryStream();
        var offset = 8;
        while (offset + 12 <= png.Length)
        {
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(png[offset..]);
            if (length < 0 || offset + 12 + length > png.Length)
            {
                return null;
            }

            var type = png.Slice(offset + 4, 4);
            var data = png.Slice(offset + 8, length);
            if (type.SequenceEqual("IHDR"u8))
            {
                bitDepth = data[8];
                colourType = data[9];
                interlace = data[12];
            }
            else if (type.SequenceEqual("PLTE"u8))
            {
                palette = data.ToArray();
            }
            else if (type.SequenceEqual("tRNS"u8))
            {
                paletteAlpha = data.ToArray();
            }
            else if (type.SequenceEqual("IDAT"u8))
            {
                idat.Write(data);
            }
            else if (type.SequenceEqual("IEND"u8))
            {
                break;
            }

            offset += 12 + length;
        }

        var channels = colourType switch { 0 => 1, 2 => 3, 3 => 1, 4 => 2, 6 => 4, _ => 0 };
        if (bitDepth != 8 || interlace != 0 || channels == 0 || (colourType == 3 && palette is null))
        {
            return null;
        }

        var (width, height) = (header.Width, header.Height);
        var stride = width * channels;
        var raw = new byte[(stride + 1) * height];
        try
        {
            idat.Position = 0;
            using var zlib = new ZLibStream(idat, CompressionMode.Decompress);
            zlib.ReadExactly(raw);
        }
        catch (Exception ex) when (ex is InvalidDataException or EndOfStreamException)
        {
            return null;
        }

        var rows = new byte[stride * height];
        for (var y = 0; y < height; y++)
        {
            var filter = raw[y * (stride + 1)];
            var line = raw.AsSpan((y * (stride + 1)) + 1, stride);
            var output = rows.AsSpan(y * stride, stride);
            var previous = y == 0 ? Span<byte>.Empty : rows.AsSpan((y - 1) * stride, stride);
            for (var x = 0; x < stride; x++)
            {
                int a = x >= channels ? output[x - channels] : 0;
                int b = previous.IsEmpty ? 0 : previous[x];
                int c = x >= channels && !previous.IsEmpty ? previous[x - channels] : 0;
                output[x] = (byte)(line[x] + filter switch
                {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => (a + b) / 2,
                    4 => Paeth(a, b, c),
                    _ => 0,
                });
            }
        }

        var rgba = new byte[width * height * 4];
        for (var i = 0; i < width * height; i++)
        {
            var p = rows.AsSpan(i * channels, channels);
            var (r, g, b, alpha) = colourType switch
            {
                0 => (p[0], p[0], p[0], (byte)255),
                4 => (p[0], p[0], p[0], p[1]),
                2 => (p[0], p[1], p[2], (byte)255),
                6 => (p[0], p[1], p[2], p[3]),
                _ => Palette(palette!, paletteAlpha, p[0]),
            };
            rgba[i * 4] = r;
            rgba[(i * 4) + 1] = g;
            rgba[(i * 4) + 2] = b;
            rgba[(i * 4) + 3] = alpha;
        }

        return new DecodedImage(width, height, rgba);
    }

    private static (byte, byte, byte, byte) Palette(byte[] palette, byte[]? alpha, int index) =>
        index * 3 + 2 < palette.Length
            ? (palette[index * 3], palette[(index * 3) + 1], palette[(index * 3) + 2], alpha is not null && index < alpha.Length ? alpha[index] : (byte)255)
            : ((byte)0, (byte)0, (byte)0, (byte)255);

    private static int Paeth(int a, int b, int c)
    {
        var p = a + b - c;
        var pa = Math.Abs(p - a);
        var pb = Math.Abs(p - b);
        var pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
