namespace Jobs.Shared.Models.Tasks;

/// <summary>
/// The tasks a job can ask for. One name per task across model families, so a client writes one
/// request shape and the catalog decides which model (and which of its Bedrock task types) runs it.
/// </summary>
public static class ImageTasks
{
    public const string TextToImage = "text-to-image";
    public const string ImageToImage = "image-to-image";
    public const string Variation = "variation";
    public const string Inpaint = "inpaint";
    public const string Outpaint = "outpaint";
    public const string RemoveBackground = "remove-background";
    public const string SearchReplace = "search-replace";
    public const string Recolor = "recolor";
    public const string Erase = "erase";
    public const string Sketch = "sketch";
    public const string Structure = "structure";
    public const string StyleGuide = "style-guide";
    public const string StyleTransfer = "style-transfer";
    public const string Upscale = "upscale";
    public const string ColorGuided = "color-guided";

    /// <summary>Every task, text-to-image first.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        TextToImage, ImageToImage, Variation, Inpaint, Outpaint, RemoveBackground, SearchReplace, Recolor, Erase,
        Sketch, Structure, StyleGuide, StyleTransfer, Upscale, ColorGuided,
    ];
}
