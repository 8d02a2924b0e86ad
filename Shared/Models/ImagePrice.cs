namespace Jobs.Shared.Models;

/// <summary>
/// What Bedrock charges for one output image of a model, on demand, in US dollars, so a client sees
/// what a job costs before it asks for a thousand. An estimate: the README cites where each figure
/// comes from and how sure it is; a Region or a price change moves it.
/// </summary>
/// <param name="Standard">The price per image at the default quality and the largest documented default size.</param>
/// <param name="Premium">The price per image when the request asks for <c>premium</c> quality, where the model has it.</param>
public sealed record ImagePrice(decimal Standard, decimal? Premium = null)
{
    /// <summary>The price of one image at the requested quality.</summary>
    public decimal PerImage(string? quality) =>
        string.Equals(quality, "premium", StringComparison.Ordinal) && Premium is { } premium ? premium : Standard;
}
