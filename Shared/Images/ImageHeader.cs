using System.Buffers.Binary;

namespace Jobs.Shared.Images;

/// <summary>
/// An input image's format and size, read from its first bytes, never from its name or declared
/// content type: an upload is only as much an image as its bytes say, and a model's size limits
/// apply to the pixels it will actually see.
/// </summary>
public readonly record struct ImageHeader(string Format, int Width, int Height)
{
    /// <summary>Reads a PNG, JPEG or WEBP header; false when the bytes are none of those.</summary>
    public static bool TryRead(ReadOnlySpan<byte> bytes, out ImageHeader header)
    {
        header = default;
        if (bytes.Length >= 24 && bytes[..8].SequenceEqual((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]) && bytes.Slice(12, 4).SequenceEqual("IHDR"u8))
        {
            return Found(ImageFormats.Png, (int)BinaryPrimitives.ReadUInt32BigEndian(bytes[16..]), (int)BinaryPrimitives.ReadUInt32BigEndian(bytes[20..]), out header);
        }

        if (bytes.Length >= 4 && bytes[0] == 0xFF && bytes[1] == 0xD8)
        {
            return TryReadJpeg(bytes, out header);
        }

        if (bytes.Length >= 30 && bytes[..4].SequenceEqual("RIFF"u8) && bytes.Slice(8, 4).SequenceEqual("WEBP"u8))
        {
            var chunk = bytes.Slice(12, 4);
            if (chunk.SequenceEqual("VP8 "u8) && bytes[23] == 0x9D && bytes[24] == 0x01 && bytes[25] == 0x2A)
            {
                return Found(ImageFormats.Webp, BinaryPrimitives.ReadUInt16LittleEndian(bytes[26..]) & 0x3FFF, BinaryPrimitives.ReadUInt16LittleEndian(bytes[28..]) & 0x3FFF, out header);
            }

            if (chunk.SequenceEqual("VP8L"u8) && bytes[20] == 0x2F)
            {
                var bits = BinaryPrimitives.ReadUInt32LittleEndian(bytes[21..]);
                return Found(ImageFormats.Webp, (int)(bits & 0x3FFF) + 1, (int)((bits >> 14) & 0x3FFF) + 1, out header);
            }

            if (chunk.SequenceEqual("VP8X"u8))
            {
                return Found(ImageFormats.Webp, ReadUInt24(bytes[24..]) + 1, ReadUInt24(bytes[27..]) + 1, out header);
            }
        }

        return false;
    }

    private static bool TryReadJpeg(ReadOnlySpan<byte> bytes, out ImageHeader header)
    {
        header = default;
        var offset = 2;
        while (offset + 4 <= bytes.Length)
        {
            if (bytes[offset] != 0xFF)
            {
                return false;
            }

            var marker = bytes[offset + 1];
            if (marker == 0xFF)
            {
                offset++;
                continue;
            }

            if (marker is 0xD8 or 0x01 or (>= 0xD0 and <= 0xD7))
            {
                offset += 2;
                continue;
            }

            var length = BinaryPrimitives.ReadUInt16BigEndian(bytes[(offset + 2)..]);
            // Start of frame (baseline, progressive, lossless, arithmetic), not DHT (C4), JPG (C8) or DAC (CC).
            if (marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC)
            {
                return offset + 9 <= bytes.Length
                    && Found(ImageFormats.Jpeg, BinaryPrimitives.ReadUInt16BigEndian(bytes[(offset + 7)..]), BinaryPrimitives.ReadUInt16BigEndian(bytes[(offset + 5)..]), out header);
            }

            if (marker == 0xDA || length < 2)
            {
                return false;
            }

            offset += 2 + length;
        }

        return false;
    }

    private static int ReadUInt24(ReadOnlySpan<byte> bytes) => bytes[0] | (bytes[1] << 8) | (bytes[2] << 16);

    private static bool Found(string format, int width, int height, out ImageHeader header)
    {
        header = new ImageHeader(format, width, height);
        return width > 0 && height > 0;
    }
}
