using System.Text.Json;
using Jobs.Consumer.Inputs;
using Jobs.Shared.Jobs;
using Jobs.Shared.Models.Tasks;

namespace Jobs.Consumer.Bedrock;

/// <summary>
/// Writes Titan's and Nova Canvas's bodies for tasks that read images: the task type, its
/// parameters object, and <c>imageGenerationConfig</c> (none for background removal; no width or
/// height, since the output follows the input). The answer is read by <see cref="AmazonImageFamily"/>.
/// </summary>
public static class AmazonTaskFamily
{
    public static byte[] WriteRequest(JobRequest request, TaskOffer offer, IReadOnlyList<InputImage> inputs)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(offer);
        ArgumentNullException.ThrowIfNull(inputs);
        var (taskType, paramsName) = request.Task switch
        {
            ImageTasks.Variation => ("IMAGE_VARIATION", "imageVariationParams"),
            ImageTasks.Inpaint or ImageTasks.Erase => ("INPAINTING", "inPaintingParams"),
            ImageTasks.Outpaint => ("OUTPAINTING", "outPaintingParams"),
            ImageTasks.RemoveBackground => ("BACKGROUND_REMOVAL", "backgroundRemovalParams"),
            ImageTasks.ColorGuided => ("COLOR_GUIDED_GENERATION", "colorGuidedGenerationParams"),
            ImageTasks.Sketch or ImageTasks.Structure => ("TEXT_IMAGE", "textToImageParams"),
            _ => throw new ImageGenerationException(new JobError(JobErrorCodes.InvalidRequest, $"Titan and Nova Canvas do not run {request.Task}."), isRetryable: false),
        };

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("taskType", taskType);
            json.WriteStartObject(paramsName);
            if (request.Prompt.Length > 0)
            {
                json.WriteString("text", request.Prompt);
            }

            if (request.NegativePrompt is { } negative)
            {
                json.WriteString("negativeText", negative);
            }

            var images = inputs.Where(i => i.Input.Name == "images").ToList();
            if (images.Count > 0)
            {
                json.WriteStartArray("images");
                foreach (var image in images)
                {
                    json.WriteBase64StringValue(image.Bytes);
                }

                json.WriteEndArray();
            }

            foreach (var input in inputs.Where(i => i.Input.Name != "images"))
            {
                switch (input.Input.Name)
                {
                    case "mask":
                        json.WriteBase64String("maskImage", AmazonMask.Convert(input.Bytes, invert: request.Task != ImageTasks.Outpaint));
                        break;
                    case "image" when request.Task is ImageTasks.Sketch or ImageTasks.Structure:
                        json.WriteBase64String("conditionImage", input.Bytes);
                        break;
                    default:
                        json.WriteBase64String(input.Input.Name, input.Bytes);
                        break;
                }
            }

            if (request.Task is ImageTasks.Sketch or ImageTasks.Structure)
            {
                json.WriteString("controlMode", request.Task == ImageTasks.Sketch ? "CANNY_EDGE" : "SEGMENTATION");
            }

            foreach (var (name, value) in request.Parameters)
            {
                if (offer.Parameter(name) is { } parameter)
                {
                    StabilityEditFamily.WriteValue(json, name, parameter.Kind, value);
                }
            }

            json.WriteEndObject();
            if (request.Task != ImageTasks.RemoveBackground)
            {
                json.WriteStartObject("imageGenerationConfig");
                json.WriteNumber("numberOfImages", request.Count);
                if (request.Quality is { } quality)
                {
                    json.WriteString("quality", quality);
                }

                if (request.CfgScale is { } cfgScale)
                {
                    json.WriteNumber("cfgScale", cfgScale);
                }

                json.WriteNumber("seed", request.Seed);
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
