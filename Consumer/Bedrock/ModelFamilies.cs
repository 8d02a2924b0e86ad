using Jobs.Consumer.Inputs;
using Jobs.Shared.Jobs;
using Jobs.Shared.Models;
using Jobs.Shared.Models.Tasks;

namespace Jobs.Consumer.Bedrock;

/// <summary>Picks the request writer and response reader of a model's family.</summary>
public static class ModelFamilies
{
    /// <summary>The body of a task that reads images (anything but text-to-image), in the model family's shape.</summary>
    public static byte[] WriteRequest(ImageModel model, JobRequest request, IReadOnlyList<InputImage> inputs)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(request);
        if (request.Task == ImageTasks.TextToImage)
        {
            return WriteRequest(model.Family, request);
        }

        if (!model.Tasks.TryGetValue(request.Task, out var offer))
        {
            throw new ImageGenerationException(new JobError(JobErrorCodes.InvalidRequest, $"{model.Id} does not run {request.Task}."), isRetryable: false);
        }

        return model.Family == ModelFamily.AmazonImage
            ? AmazonTaskFamily.WriteRequest(request, offer, inputs)
            : StabilityEditFamily.WriteRequest(request, offer, inputs);
    }

    public static byte[] WriteRequest(ModelFamily family, JobRequest request) => family switch
    {
        ModelFamily.StabilityImage => StabilityImageFamily.WriteRequest(request),
        ModelFamily.AmazonImage => AmazonImageFamily.WriteRequest(request),
        ModelFamily.StabilityXl => StabilityXlFamily.WriteRequest(request),
        _ => throw new ArgumentOutOfRangeException(nameof(family), family, "Unknown model family."),
    };

    /// <exception cref="ImageGenerationException">The answer was filtered, failed, or not readable.</exception>
    public static IReadOnlyList<GeneratedImage> ReadResponse(ModelFamily family, byte[] body, JobRequest request) => family switch
    {
        ModelFamily.StabilityImage or ModelFamily.StabilityEdit => StabilityImageFamily.ReadResponse(body),
        ModelFamily.AmazonImage => AmazonImageFamily.ReadResponse(body, request),
        ModelFamily.StabilityXl => StabilityXlFamily.ReadResponse(body),
        _ => throw new ArgumentOutOfRangeException(nameof(family), family, "Unknown model family."),
    };
}
