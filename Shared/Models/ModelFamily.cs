namespace Jobs.Shared.Models;

/// <summary>
/// Models that share one Bedrock request and response shape. The family, not the model id,
/// decides how a request is written and a response read.
/// </summary>
public enum ModelFamily
{
    /// <summary>Stability's current text-to-image models (SD3.5 Large, Stable Image Core, Stable Image Ultra).</summary>
    StabilityImage,
}
