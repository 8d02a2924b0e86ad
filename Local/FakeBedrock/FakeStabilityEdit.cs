using System.Globalization;
using System.Text.Json;
using Jobs.Consumer;
using Jobs.Consumer.Bedrock;
using Jobs.Shared.Images;
using Jobs.Shared.Models;
using Jobs.Shared.Models.Tasks;

namespace Jobs.Local.FakeBedrock;

/// <summary>
/// The fake's side of Stability's Image Services and SD3.5 Large's image-to-image mode: checks the
/// flat body key by key (every key known, every required key present, every value in range, every
/// image a readable JPEG, PNG or WEBP within the tool's limits) and answers with an image derived
/// from the input.
/// </summary>
public static class FakeStabilityEdit
{
    public static (FakeRequest? Request, FakeAnswer? Invalid) Read(byte[] body, ImageModel model, TaskOffer offer)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(offer);
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(body);
            root = document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            return (null, FakeAnswer.Malformed("#: " + ex.Message));
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            return (null, FakeAnswer.Malformed("#: expected type: JSONObject"));
        }

        var imageToImage = model.Family == ModelFamily.StabilityImage;
        var imageKey = offer.Task == ImageTasks.StyleTransfer ? "init_image" : "image";
        var known = new Dictionary<string, TaskParameter?>(StringComparer.Ordinal) { ["output_format"] = null };
        if (offer.Prompt != PromptUse.None)
        {
            known["prompt"] = null;
        }

        if (offer.NegativePrompt)
        {
            known["negative_prompt"] = null;
        }

        if (offer.TakesSeed)
        {
            known["seed"] = null;
        }

        if (offer.AspectRatios)
        {
            known["aspect_ratio"] = null;
        }

        if (imageToImage)
        {
            known["mode"] = null;
            known["strength"] = TaskParameter.Number("strength", 0, 1, 0.7, required: true);
        }
        else
        {
            foreach (var parameter in offer.Parameters)
            {
                known[StabilityEditFamily.SnakeCase(parameter.Name)] = parameter;
            }
        }

        var images = new List<string> { imageKey };
        if (offer.Input("mask") is not null)
        {
            images.Add("mask");
        }

        if (offer.Input("styleImage") is not null)
        {
            images.Add("style_image");
        }

        foreach (var key in images)
        {
            known[key] = null;
        }

        foreach (var property in root.EnumerateObject())
        {
            if (!known.TryGetValue(property.Name, out var parameter))
            {
                return (null, FakeAnswer.Malformed($"#: extraneous key [{property.Name}] is not permitted"));
            }

            if (parameter is not null && Problem(property.Name, parameter, property.Value) is { } problem)
            {
                return (null, FakeAnswer.Malformed(problem));
            }
        }

        var required = new List<string> { imageKey };
        if (offer.Prompt == PromptUse.Required)
        {
            required.Add("prompt");
        }

        if (offer.Task == ImageTasks.StyleTransfer)
        {
            required.Add("style_image");
        }

        required.AddRange(known.Where(k => k.Value?.Required == true).Select(k => k.Key));
        if (required.FirstOrDefault(k => !root.TryGetProperty(k, out _)) is { } missing)
        {
            return (null, FakeAnswer.Malformed($"#: required key [{missing}] not found"));
        }

        var prompt = root.TryGetProperty("prompt", out var p) ? p.GetString() ?? string.Empty : string.Empty;
        if (prompt.Length > model.Rules.PromptMaxLength)
        {
            return (null, FakeAnswer.Malformed($"#/prompt: expected maxLength: {model.Rules.PromptMaxLength}, actual: {prompt.Length}"));
        }

        if (imageToImage && (!root.TryGetProperty("mode", out var mode) || mode.GetString() != "image-to-image"))
        {
            return (null, FakeAnswer.Malformed("#/mode: image-to-image is required with an image"));
        }

        if (offer.AnyNonZeroOf is { } sides && !sides.Any(s => root.TryGetProperty(s, out var v) && v.GetDouble() > 0))
        {
            return (null, FakeAnswer.Malformed($"#: at least one of [{string.Join(", ", sides)}] must be greater than 0"));
        }

        if (root.TryGetProperty("output_format", out var format) && format.GetString() is not ("png" or "jpeg" or "webp"))
        {
            return (null, FakeAnswer.Malformed($"#/output_format: {format} is not a valid enum value"));
        }

        var decoded = new Dictionary<string, (byte[] Bytes, ImageHeader Header)>(StringComparer.Ordinal);
        foreach (var key in images.Where(k => root.TryGetProperty(k, out _)))
        {
            if (ReadImage(root.GetProperty(key)) is not { } image)
            {
                return (null, FakeAnswer.Malformed($"#/{key}: is not a valid base64-encoded jpeg, png or webp image"));
            }

            if (key != "mask" && offer.InputRule.Check(image.Header.Format, image.Header.Width, image.Header.Height) is { } why)
            {
                return (null, FakeAnswer.Malformed($"#/{key}: image {why}"));
            }

            decoded[key] = image;
        }

        var seed = root.TryGetProperty("seed", out var s) && s.GetInt64() > 0 ? s.GetInt64() : ImagePainter.SeedFor(prompt);
        var source = decoded[imageKey];
        var size = new ImageSize(source.Header.Width, source.Header.Height);
        return (new FakeRequest(prompt, seed, 1, size, FakeStabilityImage.Answer) { Render = _ => Render(offer.Task, model.Id, root, prompt, seed, decoded, imageKey) }, null);
    }

    private static byte[] Render(string task, string modelId, JsonElement root, string prompt, long seed, Dictionary<string, (byte[] Bytes, ImageHeader Header)> images, string imageKey)
    {
        var source = images[imageKey];
        if (PngDecoder.TryDecode(source.Bytes) is not { } image)
        {
            return ImagePainter.PaintPng(prompt, seed, source.Header.Width, source.Header.Height);
        }

        int Side(string name) => root.TryGetProperty(name, out var v) ? v.GetInt32() : 0;
        var mask = images.TryGetValue("mask", out var m) ? PngDecoder.TryDecode(m.Bytes) : null;
        // Stability: white marks what to change; without a mask, the image's transparent pixels do.
        Func<int, int, bool> changed = mask is not null
            ? (x, y) => mask.Lightness(x * mask.Width / image.Width, y * mask.Height / image.Height) >= 128
            : (x, y) => image.Rgba[(((y * image.Width) + x) * 4) + 3] < 128;
        Func<int, int, bool> middle = (x, y) => x >= image.Width / 3 && x < image.Width * 2 / 3 && y >= image.Height / 3 && y < image.Height * 2 / 3;
        return task switch
        {
            ImageTasks.Inpaint => FakeEditPainter.Fill(image, prompt, changed),
            ImageTasks.Erase => FakeEditPainter.Fill(image, FakeEditPainter.Mean(image), changed),
            ImageTasks.SearchReplace or ImageTasks.Recolor => FakeEditPainter.Fill(image, prompt, middle),
            ImageTasks.Outpaint => FakeEditPainter.Extend(image, prompt, Side("left"), Side("right"), Side("up"), Side("down")),
            ImageTasks.RemoveBackground => FakeEditPainter.RemoveBackground(image),
            ImageTasks.Upscale => FakeEditPainter.Upscale(image, modelId == ModelCatalog.FastUpscale ? 4 : 2),
            _ => FakeEditPainter.Blend(image, prompt, seed),
        };
    }

    private static (byte[] Bytes, ImageHeader Header)? ReadImage(JsonElement value)
    {
        try
        {
            var bytes = value.ValueKind == JsonValueKind.String ? Convert.FromBase64String(value.GetString()!) : [];
            return ImageHeader.TryRead(bytes, out var header) ? (bytes, header) : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static string? Problem(string key, TaskParameter parameter, JsonElement value)
    {
        var range = parameter.Range;
        return parameter.Kind switch
        {
            TaskParameterKind.Number or TaskParameterKind.Integer when value.ValueKind != JsonValueKind.Number => $"#/{key}: expected type: Number, found: {value.ValueKind}",
            TaskParameterKind.Integer when value.GetDouble() != Math.Floor(value.GetDouble()) => $"#/{key}: expected type: Integer, found: Number",
            TaskParameterKind.Number or TaskParameterKind.Integer when !range!.Contains(value.GetDouble()) =>
                string.Create(CultureInfo.InvariantCulture, $"#/{key}: {value.GetDouble()} is not in range {range.Min}..{range.Max}"),
            TaskParameterKind.Text when value.ValueKind != JsonValueKind.String || value.GetString()!.Length > range!.Max =>
                string.Create(CultureInfo.InvariantCulture, $"#/{key}: expected maxLength: {range!.Max}"),
            TaskParameterKind.Choice when value.ValueKind != JsonValueKind.String || !parameter.Choices!.Contains(value.GetString()!) => $"#/{key}: {value} is not a valid enum value",
            _ => null,
        };
    }
}
