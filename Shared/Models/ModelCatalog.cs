using System.Diagnostics.CodeAnalysis;

namespace Jobs.Shared.Models;

/// <summary>
/// The models this service knows. The default is an Active model, because Legacy models stop
/// answering for accounts that have not used them recently.
/// </summary>
public sealed class ModelCatalog
{
    public const string StableImageCore = "stability.stable-image-core-v1:1";
    public const string Sd35Large = "stability.sd3-5-large-v1:0";
    public const string StableImageUltra = "stability.stable-image-ultra-v1:1";

    private readonly Dictionary<string, ImageModel> _models;

    public ModelCatalog(IEnumerable<ImageModel> models, string defaultModelId)
    {
        _models = models.ToDictionary(m => m.Id, StringComparer.Ordinal);
        if (!_models.ContainsKey(defaultModelId))
        {
            throw new ArgumentException($"The default model '{defaultModelId}' is not in the catalog.", nameof(defaultModelId));
        }

        DefaultModelId = defaultModelId;
    }

    public string DefaultModelId { get; }

    public IReadOnlyCollection<ImageModel> Models => _models.Values;

    public bool TryGet(string id, [NotNullWhen(true)] out ImageModel? model) => _models.TryGetValue(id, out model);

    /// <summary>The catalog as Bedrock offers it today.</summary>
    public static ModelCatalog Default { get; } = new(
        [
            Stability(StableImageCore, "Stable Image Core"),
            Stability(Sd35Large, "Stable Diffusion 3.5 Large"),
            Stability(StableImageUltra, "Stable Image Ultra"),
        ],
        StableImageCore);

    // Stability's current models share one request shape and choose the pixel size from the
    // aspect ratio (about one megapixel); these are the sizes Stability documents for the SD3 family.
    private static ImageModel Stability(string id, string name) => new(
        id,
        name,
        ModelFamily.StabilityImage,
        ModelLifecycle.Active,
        new ModelRules
        {
            PromptMaxLength = 10_000,
            NegativePromptMaxLength = 10_000,
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
}
