using System.Text.Json.Serialization;

namespace Jobs.Shared.Models;

/// <summary>
/// Models that share one Bedrock request and response shape. The family, not the model id,
/// decides how a request is written and a response read.
/// </summary>
public enum ModelFamily
{
    /// <summary>Stability's current text-to-image models (SD3.5 Large, Stable Image Core, Stable Image Ultra).</summary>
    [JsonStringEnumMemberName("stability-image")]
    StabilityImage,

    /// <summary>Amazon Titan Image Generator v1/v2 and Nova Canvas: <c>taskType</c> + <c>textToImageParams</c>.</summary>
    [JsonStringEnumMemberName("amazon-image")]
    AmazonImage,

    /// <summary>Stability's Image Services (edit, control, upscale): a flat body with the input images in base64, one image out.</summary>
    [JsonStringEnumMemberName("stability-edit")]
    StabilityEdit,

    /// <summary>Stability SDXL 1.0: <c>text_prompts</c> in, <c>artifacts</c> out.</summary>
    [JsonStringEnumMemberName("stability-xl")]
    StabilityXl,
}
