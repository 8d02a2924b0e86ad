using Jobs.Shared.Jobs;
using Jobs.Shared.Models;

namespace Jobs.Consumer.Bedrock;

/// <summary>Picks the request writer and response reader of a model's family.</summary>
public static class ModelFamilies
{
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
        ModelFamily.StabilityImage => StabilityImageFamily.ReadResponse(body),
        ModelFamily.AmazonImage => AmazonImageFamily.ReadResponse(body, request),
        ModelFamily.StabilityXl => StabilityXlFamily.ReadResponse(body),
        _ => throw new ArgumentOutOfRangeException(nameof(family), family, "Unknown model family."),
    };
}
