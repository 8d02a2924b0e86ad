using System.Globalization;
using System.Text.Json;
using Jobs.Consumer.Inputs;
using Jobs.Shared.Jobs;
using Jobs.Shared.Models.Tasks;

namespace Jobs.Consumer.Bedrock;

/// <summary>
/// Writes the flat body of Stability's Image Services and of SD3.5 Large's image-to-image mode:
/// the request's camelCase names back into Bedrock's snake_case, images in base64. The answer has
/// the shape of Stability's text-to-image answer and is read by <see cref="StabilityImageFamily"/>.
/// </summary>
public static class StabilityEditFamily
{
    public static byte[] WriteRequest(JobRequest request, TaskOffer offer, IReadOnlyList<InputImage> inputs)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(offer);
        ArgumentNullException.ThrowIfNull(inputs);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            if (request.Prompt.Length > 0)
            {
                json.WriteString("prompt", request.Prompt);
            }

            if (request.NegativePrompt is { } negative)
            {
                json.WriteString("negative_prompt", negative);
            }

            var imageToImage = request.Task is ImageTasks.ImageToImage or ImageTasks.Variation;
            if (imageToImage)
            {
                json.WriteString("mode", "image-to-image");
            }

            foreach (var input in inputs)
            {
                json.WriteBase64String(BodyName(request.Task, input.Input.Name), input.Bytes);
            }

            foreach (var (name, value) in request.Parameters)
            {
                if (offer.Parameter(name) is not { } parameter || (request.Task == ImageTasks.Variation && name == "similarityStrength"))
                {
                    continue;
                }

                WriteValue(json, SnakeCase(name), parameter.Kind, value);
            }

            if (request.Task == ImageTasks.Variation)
            {
                // A variation is image-to-image that keeps this much of its source: strength is how much changes.
                var similarity = request.Parameters.TryGetValue("similarityStrength", out var s) ? double.Parse(s, CultureInfo.InvariantCulture) : offer.Parameter("similarityStrength")!.Range!.Default;
                json.WriteNumber("strength", Math.Round(1 - similarity, 4));
            }

            if (offer.AspectRatios && request.AspectRatio is { } ratio)
            {
                json.WriteString("aspect_ratio", ratio);
            }

            if (offer.TakesSeed && request.Seed > 0)
            {
                json.WriteNumber("seed", request.Seed);
            }

            json.WriteString("output_format", "png");
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>Where an input goes in the body: Style Transfer reads its content image as <c>init_image</c>; SD3.5 reads one <c>image</c>.</summary>
    private static string BodyName(string task, string input) => (task, input) switch
    {
        (ImageTasks.StyleTransfer, "image") => "init_image",
        (_, "images") => "image",
        _ => SnakeCase(input),
    };

    internal static void WriteValue(Utf8JsonWriter json, string name, TaskParameterKind kind, string value)
    {
        switch (kind)
        {
            case TaskParameterKind.Integer:
                json.WriteNumber(name, long.Parse(value, CultureInfo.InvariantCulture));
                break;
            case TaskParameterKind.Number:
                json.WriteNumber(name, double.Parse(value, CultureInfo.InvariantCulture));
                break;
            case TaskParameterKind.Colors:
                json.WriteStartArray(name);
                foreach (var colour in value.Split(','))
                {
                    json.WriteStringValue(colour);
                }

                json.WriteEndArray();
                break;
            default:
                json.WriteString(name, value);
                break;
        }
    }

    /// <summary><c>growMask</c> → <c>grow_mask</c>.</summary>
    public static string SnakeCase(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var text = new System.Text.StringBuilder(name.Length + 4);
        foreach (var c in name)
        {
            if (char.IsUpper(c))
            {
                text.Append('_').Append(char.ToLowerInvariant(c));
            }
            else
            {
                text.Append(c);
            }
        }

        return text.ToString();
    }
}
