using Jobs.Shared.Images;
using Jobs.Shared.Jobs;

namespace Jobs.Consumer.Bedrock;

/// <summary>
/// Rewrites a mask from this service's convention (white: change; black: keep; shared with
/// Stability) into what Titan and Nova read: pure black and white, RGB, with black marking the
/// mask. For inpainting the mask is the region to change, so the colours swap; for outpainting
/// Titan and Nova regenerate what lies outside the mask (white), so white stays white.
/// </summary>
public static class AmazonMask
{
    public static byte[] Convert(byte[] png, bool invert)
    {
        var image = PngDecoder.TryDecode(png)
            ?? throw new ImageGenerationException(new JobError(JobErrorCodes.InvalidRequest, "The mask is not a PNG this service can read (8-bit, not interlaced)."), isRetryable: false);
        var rgb = new byte[image.Width * image.Height * 3];
        for (var y = 0; y < image.Height; y++)
        {
            for (var x = 0; x < image.Width; x++)
            {
                var white = image.Lightness(x, y) >= 128;
                var value = white != invert ? (byte)255 : (byte)0;
                var i = ((y * image.Width) + x) * 3;
                rgb[i] = rgb[i + 1] = rgb[i + 2] = value;
            }
        }

        return PngEncoder.Encode(image.Width, image.Height, rgb);
    }
}
