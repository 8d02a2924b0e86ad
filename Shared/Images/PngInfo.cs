using System.Buffers.Binary;
using Jobs.Shared.Models;

namespace Jobs.Shared.Images;

/// <summary>Reads a PNG's size from its header, so stored sizes are what the model actually returned.</summary>
public static class PngInfo
{
    private static ReadOnlySpan<byte> Signature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    public static bool TryReadSize(ReadOnlySpan<byte> png, out ImageSize size)
    {
        // Signature (8), IHDR length (4), "IHDR" (4), then width and height as big-endian uint32.
        if (png.Length < 24 || !png[..8].SequenceEqual(Signature) || !png.Slice(12, 4).SequenceEqual("IHDR"u8))
        {
            size = default;
            return false;
        }

        size = new ImageSize(
            (int)BinaryPrimitives.ReadUInt32BigEndian(png.Slice(16, 4)),
            (int)BinaryPrimitives.ReadUInt32BigEndian(png.Slice(20, 4)));
        return true;
    }
}
