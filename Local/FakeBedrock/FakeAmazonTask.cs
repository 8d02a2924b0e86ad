using System.Text.Json;
using Jobs.Consumer;
using Jobs.Consumer.Bedrock;
using Jobs.Shared.Images;
using Jobs.Shared.Models;
using Jobs.Shared.Models.Tasks;

namespace Jobs.Local.FakeBedrock;

/// <summary>
/// The fake's side of Titan's and Nova Canvas's image-reading task types: checks the task's
/// parameters object (exactly one of mask image and mask prompt, no size for in/outpainting, a mask
/// of pure black and white the size of the image) and answers with images derived from the input,
/// reading the mask the way these models do (black marks the mask).
/// </summary>
public static class FakeAmazonTask
{
    private static readonly Dictionary<string, (string Params, string Task, string[] Keys)> Tasks = new(StringComparer.Ordinal)
    {
        ["IMAGE_VARIATION"] = ("imageVariationParams", ImageTasks.Variation, ["images", "similarityStrength", "text", "negativeText"]),
        ["INPAINTING"] = ("inPaintingParams", ImageTasks.Inpaint, ["image", "maskImage", "maskPrompt", "text", "negativeText", "returnMask"]),
        ["OUTPAINTING"] = ("outPaintingParams", ImageTasks.Outpaint, ["image", "maskImage", "maskPrompt", "text", "negativeText", "outPaintingMode", "returnMask"]),
        ["BACKGROUND_REMOVAL"] = ("backgroundRemovalParams", ImageTasks.RemoveBackground, ["image"]),
        ["COLOR_GUIDED_GENERATION"] = ("colorGuidedGenerationParams", ImageTasks.ColorGuided, ["colors", "text", "negativeText", "referenceImage"]),
        ["TEXT_IMAGE"] = ("textToImageParams", ImageTasks.Sketch, ["text", "negativeText", "conditionImage", "controlMode", "controlStrength", "style"]),
    };

    public static (FakeRequest? Request, FakeAnswer? Invalid) Read(JsonElement root, ImageModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var taskType = root.TryGetProperty("taskType", out var t) ? t.GetString() ?? string.Empty : string.Empty;
        if (!Tasks.TryGetValue(taskType, out var shape))
        {
            return (null, FakeAnswer.Malformed($"#/taskType: {taskType} is not a valid enum value"));
        }

        var task = taskType == "TEXT_IMAGE" && root.GetProperty(shape.Params).TryGetProperty("controlMode", out var cm) && cm.GetString() == "SEGMENTATION" ? ImageTasks.Structure : shape.Task;
        if (!model.Tasks.TryGetValue(task, out var offer))
        {
            return (null, FakeAnswer.Fail(new FakeBedrockError(Consumer.Bedrock.BedrockErrors.Validation, 400, $"The model does not support the task type {taskType}.")));
        }

        if (!root.TryGetProperty(shape.Params, out var parameters) || parameters.ValueKind != JsonValueKind.Object)
        {
            return (null, FakeAnswer.Malformed($"#: required key [{shape.Params}] not found"));
        }

        foreach (var property in root.EnumerateObject())
        {
            if (property.Name is not ("taskType" or "imageGenerationConfig") && property.Name != shape.Params)
            {
                return (null, FakeAnswer.Malformed($"#: extraneous key [{property.Name}] is not permitted"));
            }
        }

        foreach (var property in parameters.EnumerateObject())
        {
            if (!shape.Keys.Contains(property.Name))
            {
                return (null, FakeAnswer.Malformed($"#/{shape.Params}: extraneous key [{property.Name}] is not permitted"));
            }
        }

        var config = root.TryGetProperty("imageGenerationConfig", out var c) ? c : default;
        if (taskType == "BACKGROUND_REMOVAL" && config.ValueKind != JsonValueKind.Undefined)
        {
            return (null, FakeAnswer.Malformed("#: extraneous key [imageGenerationConfig] is not permitted"));
        }

        if (taskType is "INPAINTING" or "OUTPAINTING")
        {
            if (config.ValueKind == JsonValueKind.Object && (config.TryGetProperty("width", out _) || config.TryGetProperty("height", out _)))
            {
                return (null, FakeAnswer.Malformed("#/imageGenerationConfig: width and height are not permitted for " + taskType));
            }

            if (parameters.TryGetProperty("maskImage", out _) == parameters.TryGetProperty("maskPrompt", out _))
            {
                return (null, FakeAnswer.Malformed($"#/{shape.Params}: exactly one of [maskImage, maskPrompt] is required"));
            }
        }

        var text = parameters.TryGetProperty("text", out var tx) ? tx.GetString() ?? string.Empty : string.Empty;
        if (text.Length > model.Rules.PromptMaxLength)
        {
            return (null, FakeAnswer.Malformed($"#/{shape.Params}/text: expected maxLength: {model.Rules.PromptMaxLength}, actual: {text.Length}"));
        }

        if (offer.Prompt == PromptUse.Required && text.Length == 0)
        {
            return (null, FakeAnswer.Malformed($"#/{shape.Params}: required key [text] not found"));
        }

        var images = new Dictionary<string, (byte[] Bytes, ImageHeader Header)>(StringComparer.Ordinal);
        foreach (var key in new[] { "image", "maskImage", "referenceImage", "conditionImage" })
        {
            if (parameters.TryGetProperty(key, out var value))
            {
                if (Image(value) is not { } image)
                {
                    return (null, FakeAnswer.Malformed($"#/{shape.Params}/{key}: is not a valid base64-encoded png or jpeg image"));
                }

                if (key != "maskImage" && offer.InputRule.Check(image.Header.Format, image.Header.Width, image.Header.Height) is { } why)
                {
                    return (null, FakeAnswer.Malformed($"#/{shape.Params}/{key}: image {why}"));
                }

                images[key] = image;
            }
        }

        if (parameters.TryGetProperty("images", out var list))
        {
            var i = 0;
            foreach (var item in list.EnumerateArray())
            {
                if (Image(item) is not { } image)
                {
                    return (null, FakeAnswer.Malformed($"#/{shape.Params}/images/{i}: is not a valid base64-encoded png or jpeg image"));
                }

                images.TryAdd("image", image);
                i++;
            }
        }

        DecodedImage? mask = null;
        if (images.TryGetValue("maskImage", out var maskImage))
        {
            mask = PngDecoder.TryDecode(maskImage.Bytes);
            var source = images["image"].Header;
            if (maskImage.Header.Width != source.Width || maskImage.Header.Height != source.Height)
            {
                return (null, FakeAnswer.Malformed($"#/{shape.Params}/maskImage: the mask must be the size of the image ({source.Width}x{source.Height})"));
            }

            if (mask is not null && Enumerable.Range(0, mask.Width * mask.Height).Any(p => mask.Rgba[p * 4] is not (0 or 255) || mask.Rgba[p * 4] != mask.Rgba[(p * 4) + 1] || mask.Rgba[p * 4] != mask.Rgba[(p * 4) + 2]))
            {
                return (null, FakeAnswer.Malformed($"#/{shape.Params}/maskImage: the mask must contain only pure black and pure white pixels"));
            }
        }

        var count = config.ValueKind == JsonValueKind.Object && config.TryGetProperty("numberOfImages", out var n) ? n.GetInt32() : 1;
        if (count < 1 || count > offer.MaxCount)
        {
            return (null, FakeAnswer.Malformed($"#/imageGenerationConfig/numberOfImages: {count} is not in range 1..{offer.MaxCount}"));
        }

        var seed = config.ValueKind == JsonValueKind.Object && config.TryGetProperty("seed", out var s) ? s.GetInt64() : 0;
        var basis = images.TryGetValue("image", out var b) ? b : images.TryGetValue("conditionImage", out var ci) ? ci : images.TryGetValue("referenceImage", out var r) ? r : default;
        var size = basis.Bytes is null ? model.Rules.DefaultSize!.Value : new ImageSize(basis.Header.Width, basis.Header.Height);
        return (new FakeRequest(text, seed, count, size, FakeAmazonImage.Answer) { Render = i => Render(task, text, seed + i, basis.Bytes, size, mask, parameters) }, null);
    }

    private static byte[] Render(string task, string text, long seed, byte[]? basis, ImageSize size, DecodedImage? mask, JsonElement parameters)
    {
        if (basis is null || PngDecoder.TryDecode(basis) is not { } image)
        {
            return ImagePainter.PaintPng(text + string.Join(",", parameters.TryGetProperty("colors", out var colours) ? colours.EnumerateArray().Select(x => x.GetString()) : []), seed, size.Width, size.Height);
        }

        // Titan and Nova: black marks the mask. Inpainting changes the mask; outpainting what lies outside it.
        Func<int, int, bool> inMask = mask is not null ? (x, y) => mask.Lightness(x, y) < 128 : (x, y) => x >= image.Width / 3 && x < image.Width * 2 / 3 && y >= image.Height / 3 && y < image.Height * 2 / 3;
        return task switch
        {
            ImageTasks.Inpaint when text.Length == 0 => FakeEditPainter.Fill(image, FakeEditPainter.Mean(image), inMask),
            ImageTasks.Inpaint => FakeEditPainter.Fill(image, text, inMask),
            ImageTasks.Outpaint => FakeEditPainter.Fill(image, text, (x, y) => !inMask(x, y)),
            ImageTasks.RemoveBackground => FakeEditPainter.RemoveBackground(image),
            _ => FakeEditPainter.Blend(image, text, seed),
        };
    }

    private static (byte[] Bytes, ImageHeader Header)? Image(JsonElement value)
    {
        try
        {
            var bytes = value.ValueKind == JsonValueKind.String ? Convert.FromBase64String(value.GetString()!) : [];
            return ImageHeader.TryRead(bytes, out var header) && header.Format is ImageFormats.Png or ImageFormats.Jpeg ? (bytes, header) : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
