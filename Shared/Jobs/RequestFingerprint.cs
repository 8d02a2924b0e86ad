using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Jobs.Shared.Jobs;

/// <summary>
/// A validated request's identity for the result cache: the same model, prompt, parameters and
/// seed give the same image, so a second request for it can be answered from the first one's
/// images. Only a request that fixed its seed has one (seed 0 asks for a new, random image).
/// </summary>
public static class RequestFingerprint
{
    public static string? For(JobRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Seed == 0)
        {
            return null;
        }

        // Every field that changes the image, each named, in a fixed order, so no two requests share a text.
        var text = new StringBuilder()
            .Append("model=").Append(request.Model).Append('\n')
            .Append("prompt=").Append(request.Prompt).Append('\n')
            .Append("negativePrompt=").Append(request.NegativePrompt).Append('\n')
            .Append("aspectRatio=").Append(request.AspectRatio).Append('\n')
            .Append("width=").Append(request.Width?.ToString(CultureInfo.InvariantCulture)).Append('\n')
            .Append("height=").Append(request.Height?.ToString(CultureInfo.InvariantCulture)).Append('\n')
            .Append("seed=").Append(request.Seed.ToString(CultureInfo.InvariantCulture)).Append('\n')
            .Append("count=").Append(request.Count.ToString(CultureInfo.InvariantCulture)).Append('\n')
            .Append("outputFormat=").Append(request.OutputFormat).Append('\n')
            .Append("style=").Append(request.Style).Append('\n')
            .Append("quality=").Append(request.Quality).Append('\n')
            .Append("cfgScale=").Append(request.CfgScale?.ToString("R", CultureInfo.InvariantCulture)).Append('\n')
            .Append("steps=").Append(request.Steps?.ToString(CultureInfo.InvariantCulture)).Append('\n');
        if (request.Task != Models.Tasks.ImageTasks.TextToImage)
        {
            // An edit is the same only on the same input bytes with the same parameters.
            text.Append("task=").Append(request.Task).Append('\n');
            foreach (var (name, value) in request.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                text.Append("parameter.").Append(name).Append('=').Append(value).Append('\n');
            }

            foreach (var input in request.Inputs)
            {
                text.Append("input.").Append(input.Name).Append('=').Append(input.Sha256).Append('\n');
            }
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
