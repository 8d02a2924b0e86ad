using System.Diagnostics.CodeAnalysis;
using Jobs.Shared.Models.Tasks;

namespace Jobs.Shared.Models;

/// <summary>
/// The models this service knows. The default is an Active model, because Legacy models stop
/// answering for accounts that have not used them recently. The rules come from
/// shared/reference/bedrock-image-models.md; where that names a third-party source, the rule
/// should be checked against a real Bedrock answer once deployed.
/// </summary>
public sealed class ModelCatalog
{
    public const string StableImageCore = "stability.stable-image-core-v1:1";
    public const string Sd35Large = "stability.sd3-5-large-v1:0";
    public const string StableImageUltra = "stability.stable-image-ultra-v1:1";
    public const string TitanV1 = "amazon.titan-image-generator-v1";
    public const string TitanV2 = "amazon.titan-image-generator-v2:0";
    public const string NovaCanvas = "amazon.nova-canvas-v1:0";
    public const string Sdxl = "stability.stable-diffusion-xl-v1";
    public const string Inpaint = "stability.stable-image-inpaint-v1:0";
    public const string Outpaint = "stability.stable-outpaint-v1:0";
    public const string SearchRecolor = "stability.stable-image-search-recolor-v1:0";
    public const string SearchReplace = "stability.stable-image-search-replace-v1:0";
    public const string EraseObject = "stability.stable-image-erase-object-v1:0";
    public const string RemoveBackground = "stability.stable-image-remove-background-v1:0";
    public const string ControlSketch = "stability.stable-image-control-sketch-v1:0";
    public const string ControlStructure = "stability.stable-image-control-structure-v1:0";
    public const string StyleGuide = "stability.stable-image-style-guide-v1:0";
    public const string StyleTransfer = "stability.stable-style-transfer-v1:0";
    public const string FastUpscale = "stability.stable-fast-upscale-v1:0";
    public const string ConservativeUpscale = "stability.stable-conservative-upscale-v1:0";
    public const string CreativeUpscale = "stability.stable-creative-upscale-v1:0";

    private readonly Dictionary<string, ImageModel> _models;

    public ModelCatalog(IEnumerable<ImageModel> models, string defaultModelId)
    {
        _models = models.ToDictionary(m => m.Id, StringComparer.Ordinal);
        if (!_models.TryGetValue(defaultModelId, out var fallback))
        {
            throw new ArgumentException($"The default model '{defaultModelId}' is not in the catalog.", nameof(defaultModelId));
        }

        if (fallback.Lifecycle != ModelLifecycle.Active)
        {
            throw new ArgumentException($"The default model '{defaultModelId}' must be Active.", nameof(defaultModelId));
        }

        DefaultModelId = defaultModelId;
    }

    public string DefaultModelId { get; }

    public IReadOnlyCollection<ImageModel> Models => _models.Values;

    public bool TryGet(string id, [NotNullWhen(true)] out ImageModel? model) => _models.TryGetValue(id, out model);

    /// <summary>
    /// The Active model a task runs on when the request names none, or null when no Active model
    /// offers it (color-guided runs only on Titan v2 and Nova Canvas, both past their end of life).
    /// </summary>
    public string? DefaultFor(string task) => task switch
    {
        ImageTasks.TextToImage => DefaultModelId,
        ImageTasks.ImageToImage or ImageTasks.Variation => Sd35Large,
        ImageTasks.Inpaint => Inpaint,
        ImageTasks.Outpaint => Outpaint,
        ImageTasks.RemoveBackground => RemoveBackground,
        ImageTasks.SearchReplace => SearchReplace,
        ImageTasks.Recolor => SearchRecolor,
        ImageTasks.Erase => EraseObject,
        ImageTasks.Sketch => ControlSketch,
        ImageTasks.Structure => ControlStructure,
        ImageTasks.StyleGuide => StyleGuide,
        ImageTasks.StyleTransfer => StyleTransfer,
        ImageTasks.Upscale => FastUpscale,
        _ => null,
    } is { } id && _models.ContainsKey(id) ? id : null;

    /// <summary>The models that run a task, in catalog order.</summary>
    public IEnumerable<ImageModel> ModelsFor(string task) =>
        _models.Values.Where(m => task == ImageTasks.TextToImage ? m.TextToImage : m.Tasks.ContainsKey(task));

    /// <summary>The catalog as Bedrock offers it today.</summary>
    public static ModelCatalog Default { get; } = new(
        [
            // Prices: README "Estimated cost" says where each comes from.
            Stability(StableImageCore, "Stable Image Core", negativePromptMaxLength: 10_000) with { Price = new(0.04m) },
            Stability(Sd35Large, "Stable Diffusion 3.5 Large", negativePromptMaxLength: 10_000) with { Price = new(0.08m), Tasks = Offers(TaskOffers.Sd35Large) },
            Stability(StableImageUltra, "Stable Image Ultra", negativePromptMaxLength: 10_000) with { Price = new(0.14m) },
            Titan(TitanV1, "Titan Image Generator G1", endOfLife: null) with { Price = new(0.01m, 0.012m), Tasks = Offers(TaskOffers.Amazon(TaskOffers.TitanInput, 512, v2: false, maxVariationImages: 1)) },
            Titan(TitanV2, "Titan Image Generator G1 v2", endOfLife: new DateOnly(2026, 6, 30)) with { Price = new(0.01m, 0.012m), Tasks = Offers(TaskOffers.Amazon(TaskOffers.TitanInput, 512, v2: true, maxVariationImages: 5)) },
            Nova() with { Price = new(0.04m, 0.06m), Tasks = Offers(TaskOffers.Amazon(TaskOffers.NovaInput, 1024, v2: true, maxVariationImages: 5)) },
            StableDiffusionXl() with { Price = new(0.04m) },
            Tool(Inpaint, "Stable Image Inpaint", TaskOffers.StabilityInpaint, 0.07m),
            Tool(Outpaint, "Stable Image Outpaint", TaskOffers.StabilityOutpaint, 0.06m),
            Tool(SearchRecolor, "Stable Image Search and Recolor", TaskOffers.StabilityRecolor, 0.07m),
            Tool(SearchReplace, "Stable Image Search and Replace", TaskOffers.StabilitySearchReplace, 0.07m),
            Tool(EraseObject, "Stable Image Erase Object", TaskOffers.StabilityErase, 0.07m),
            Tool(RemoveBackground, "Stable Image Remove Background", TaskOffers.StabilityRemoveBackground, 0.07m),
            Tool(ControlSketch, "Stable Image Control Sketch", TaskOffers.StabilitySketch, 0.07m),
            Tool(ControlStructure, "Stable Image Control Structure", TaskOffers.StabilityStructure, 0.07m),
            Tool(StyleGuide, "Stable Image Style Guide", TaskOffers.StabilityStyleGuide, 0.07m),
            Tool(StyleTransfer, "Stable Style Transfer", TaskOffers.StabilityStyleTransfer, 0.08m),
            Tool(FastUpscale, "Stable Fast Upscale", TaskOffers.FastUpscale, 0.03m),
            Tool(ConservativeUpscale, "Stable Conservative Upscale", TaskOffers.ConservativeUpscale, 0.40m),
            Tool(CreativeUpscale, "Stable Creative Upscale", TaskOffers.CreativeUpscale, 0.60m),
        ],
        StableImageCore);

    private static Dictionary<string, TaskOffer> Offers(IEnumerable<TaskOffer> offers) => offers.ToDictionary(o => o.Task, StringComparer.Ordinal);

    // Stability's Image Services: one task each, Active, invoked only through the us. cross-Region
    // inference profile (it routes to us-east-1, us-east-2 and us-west-2).
    private static ImageModel Tool(string id, string name, TaskOffer offer, decimal price) => new(
        id,
        name,
        ModelFamily.StabilityEdit,
        ModelLifecycle.Active,
        new ModelRules
        {
            PromptMaxLength = 10_000,
            NegativePromptMaxLength = 10_000,
            SeedMax = 4_294_967_294,
            MaxCount = 1,
            OutputFormats = ["png"],
        },
        Price: new ImagePrice(price))
    {
        InvokeId = "us." + id,
        TextToImage = false,
        Tasks = Offers([offer]),
    };

    // Stability's current models share one request shape and choose the pixel size from the
    // aspect ratio (about one megapixel); these are the sizes Stability documents for the SD3 family.
    private static ImageModel Stability(string id, string name, int negativePromptMaxLength) => new(
        id,
        name,
        ModelFamily.StabilityImage,
        ModelLifecycle.Active,
        new ModelRules
        {
            PromptMaxLength = 10_000,
            NegativePromptMaxLength = negativePromptMaxLength,
            SeedMax = 4_294_967_294,
            MaxCount = 1,
            AspectRatios = new Dictionary<string, ImageSize>(StringComparer.Ordinal)
            {
                ["1:1"] = new(1024, 1024),
                ["16:9"] = new(1344, 768),
                ["21:9"] = new(1536, 640),
                ["3:2"] = new(1216, 832),
                ["2:3"] = new(832, 1216),
                ["5:4"] = new(1088, 896),
                ["4:5"] = new(896, 1088),
                ["9:16"] = new(768, 1344),
                ["9:21"] = new(640, 1536),
            },
            DefaultAspectRatio = "1:1",
            OutputFormats = ["png"],
        });

    // Titan takes only the sizes of AWS's Titan Image Generator parameter table.
    private static ImageModel Titan(string id, string name, DateOnly? endOfLife) => new(
        id,
        name,
        ModelFamily.AmazonImage,
        ModelLifecycle.Legacy,
        new ModelRules
        {
            PromptMaxLength = 512,
            NegativePromptMaxLength = 512,
            SeedMax = 2_147_483_646,
            MaxCount = 5,
            Sizes =
            [
                new(1024, 1024), new(768, 768), new(512, 512), new(768, 1152), new(384, 576), new(1152, 768),
                new(576, 384), new(768, 1280), new(384, 640), new(1280, 768), new(640, 384), new(896, 1152),
                new(448, 576), new(1152, 896), new(576, 448), new(768, 1408), new(384, 704), new(1408, 768),
                new(704, 384), new(640, 1408), new(320, 704), new(1408, 640), new(704, 320), new(1152, 640),
                new(1173, 640),
            ],
            DefaultSize = new(1024, 1024),
            Qualities = ["standard", "premium"],
            CfgScale = new NumberRange(1.1, 10.0, 8.0),
            OutputFormats = ["png"],
        },
        endOfLife);

    private static ImageModel Nova() => new(
        NovaCanvas,
        "Nova Canvas",
        ModelFamily.AmazonImage,
        ModelLifecycle.Legacy,
        new ModelRules
        {
            PromptMaxLength = 1024,
            NegativePromptMaxLength = 1024,
            SeedMax = 858_993_459,
            MaxCount = 5,
            FreeSize = new FreeSizeRule(320, 4096, 16, 4.0, 4_194_304),
            DefaultSize = new(1024, 1024),
            Qualities = ["standard", "premium"],
            CfgScale = new NumberRange(1.1, 10.0, 6.5),
            Styles =
            [
                "3D_ANIMATED_FAMILY_FILM", "DESIGN_SKETCH", "FLAT_VECTOR_ILLUSTRATION", "GRAPHIC_NOVEL_ILLUSTRATION",
                "MAXIMALISM", "MIDCENTURY_RETRO", "PHOTOREALISM", "SOFT_DIGITAL_PAINTING",
            ],
            OutputFormats = ["png"],
        },
        new DateOnly(2026, 9, 30));

    // End of life on Bedrock since May 2025; kept for accounts that still have it. The prompt limit
    // is Stability's own v1 API limit (AWS documents none).
    private static ImageModel StableDiffusionXl() => new(
        Sdxl,
        "Stable Diffusion XL 1.0",
        ModelFamily.StabilityXl,
        ModelLifecycle.EndOfLife,
        new ModelRules
        {
            PromptMaxLength = 2000,
            NegativePromptMaxLength = 2000,
            SeedMax = 4_294_967_295,
            MaxCount = 1,
            Sizes =
            [
                new(1024, 1024), new(1152, 896), new(1216, 832), new(1344, 768), new(1536, 640),
                new(640, 1536), new(768, 1344), new(832, 1216), new(896, 1152),
            ],
            DefaultSize = new(1024, 1024),
            CfgScale = new NumberRange(0, 35, 7),
            Steps = new NumberRange(10, 50, 30),
            Styles =
            [
                "3d-model", "analog-film", "anime", "cinematic", "comic-book", "digital-art", "enhance", "fantasy-art",
                "isometric", "line-art", "low-poly", "modeling-compound", "neon-punk", "origami", "photographic",
                "pixel-art", "tile-texture",
            ],
            OutputFormats = ["png"],
        },
        new DateOnly(2025, 5, 20));
}
