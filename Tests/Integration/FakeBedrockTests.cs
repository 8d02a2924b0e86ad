using Jobs.Local.FakeBedrock;
using Jobs.Consumer.Bedrock;
using Jobs.Shared.Models;
using Jobs.Shared.Images;

namespace Jobs.Tests.Integration;

/// <summary>The fake's images are real PNGs of the model's size, fixed by prompt and seed.</summary>
public sealed class FakeBedrockTests
{
    [Test]
    public void Painted_images_are_valid_PNGs_of_the_requested_size()
    {
        var png = ImagePainter.PaintPng("p", 1, 1344, 768);

        Assert.That(PngInfo.TryReadSize(png, out var size), Is.True);
        Assert.That(size, Is.EqualTo(new ImageSize(1344, 768)));
    }

    [Test]
    public void The_same_prompt_and_seed_paint_the_same_bytes()
    {
        var first = ImagePainter.PaintPng("p", 1, 64, 64);
        var again = ImagePainter.PaintPng("p", 1, 64, 64);

        Assert.That(again, Is.EqualTo(first));
        Assert.That(ImagePainter.PaintPng("p", 2, 64, 64), Is.Not.EqualTo(first));
        Assert.That(ImagePainter.PaintPng("q", 1, 64, 64), Is.Not.EqualTo(first));
    }

    [Test]
    public void The_encoder_writes_chunks_a_PNG_reader_accepts()
    {
        // Each chunk's CRC-32 covers its type and data; a wrong CRC makes decoders reject the file.
        var png = PngEncoder.Encode(2, 1, [255, 0, 0, 0, 255, 0]);
        var offset = 8;
        var types = new List<string>();
        while (offset < png.Length)
        {
            var length = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(offset));
            var type = png.AsSpan(offset + 4, 4);
            var stored = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(offset + 8 + length));
            Assert.That(stored, Is.EqualTo(System.IO.Hashing.Crc32.HashToUInt32(png.AsSpan(offset + 4, 4 + length))));
            types.Add(System.Text.Encoding.ASCII.GetString(type));
            offset += 12 + length;
        }

        Assert.That(types, Is.EqualTo(new[] { "IHDR", "IDAT", "IEND" }));
    }
}
