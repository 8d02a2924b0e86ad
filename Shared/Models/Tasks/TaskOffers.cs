namespace Jobs.Shared.Models.Tasks;

/// <summary>
/// The task offers of each model family, from shared/reference/bedrock-image-editing.md (AWS's
/// Titan, Nova Canvas, SD3.5 Large and Stability Image Services pages). Where that file marks a
/// limit unconfirmed, the value here is the stricter reading and the README says so.
/// </summary>
public static class TaskOffers
{
    /// <summary>Styles Stability's Image Services take as <c>style_preset</c>.</summary>
    public static IReadOnlyList<string> StylePresets { get; } =
    [
        "3d-model", "analog-film", "anime", "cinematic", "comic-book", "digital-art", "enhance", "fantasy-art", "isometric",
        "line-art", "low-poly", "modeling-compound", "neon-punk", "origami", "photographic", "pixel-art", "tile-texture",
    ];

    /// <summary>Output aspect ratios of Style Guide.</summary>
    public static IReadOnlyList<string> StyleGuideAspectRatios { get; } = ["16:9", "1:1", "21:9", "2:3", "3:2", "4:5", "5:4", "9:16", "9:21"];

    private static readonly string[] AllFormats = ["png", "jpeg", "webp"];
    private static readonly string[] PngJpeg = ["png", "jpeg"];

    /// <summary>
    /// Most Stability tools: each side ≥ 64 px, at most 9,437,184 px, aspect 1:2.5–2.5:1, JPEG/PNG/WEBP.
    /// No side maximum is stated; 4,857 px is what the pixel cap and the aspect bound together allow.
    /// </summary>
    public static InputImageRule StabilityStandard { get; } = new(AllFormats, 64, 4_857, 4_096, 9_437_184, 2.5);

    private static TaskParameter GrowMask => TaskParameter.Integer("growMask", 0, 20, 5);

    private static TaskParameter StylePreset => TaskParameter.Choice("stylePreset", StylePresets);

    private static TaskOffer Tool(string task, PromptUse prompt, bool negative, TaskInput[] inputs, TaskParameter[] parameters, InputImageRule? rule = null) =>
        new(task, prompt, negative, 1, inputs, parameters, rule ?? StabilityStandard);

    /// <summary>SD3.5 Large's image-to-image mode, also offered as a one-image variation.</summary>
    public static IReadOnlyList<TaskOffer> Sd35Large { get; } =
    [
        Tool(ImageTasks.ImageToImage, PromptUse.Required, true, [new("image")], [TaskParameter.Number("strength", 0, 1, 0.7, required: true)]),
        Tool(ImageTasks.Variation, PromptUse.Required, true, [new("images", MaxImages: 1)], [TaskParameter.Number("similarityStrength", 0.2, 1.0, 0.7)]),
    ];

    public static TaskOffer StabilityInpaint { get; } = Tool(ImageTasks.Inpaint, PromptUse.Required, true, [new("image"), new("mask", Required: false, IsMask: true)], [GrowMask, StylePreset]);

    public static TaskOffer StabilityOutpaint { get; } = Tool(ImageTasks.Outpaint, PromptUse.Optional, false, [new("image")],
        [TaskParameter.Integer("left", 0, 2000, 0), TaskParameter.Integer("right", 0, 2000, 0), TaskParameter.Integer("up", 0, 2000, 0), TaskParameter.Integer("down", 0, 2000, 0),
         TaskParameter.Number("creativity", 0.1, 1.0, 0.5), StylePreset]) with { AnyNonZeroOf = ["left", "right", "up", "down"] };

    public static TaskOffer StabilityRecolor { get; } = Tool(ImageTasks.Recolor, PromptUse.Required, true, [new("image")], [TaskParameter.Text("selectPrompt", 10_000, required: true), GrowMask, StylePreset]);

    public static TaskOffer StabilitySearchReplace { get; } = Tool(ImageTasks.SearchReplace, PromptUse.Required, true, [new("image")], [TaskParameter.Text("searchPrompt", 10_000, required: true), GrowMask, StylePreset]);

    public static TaskOffer StabilityErase { get; } = Tool(ImageTasks.Erase, PromptUse.None, false, [new("image"), new("mask", Required: false, IsMask: true)], [GrowMask]);

    /// <summary>Stability's own API caps Remove Background at 4,194,304 px, stricter than AWS's page; the stricter holds.</summary>
    public static TaskOffer StabilityRemoveBackground { get; } = Tool(ImageTasks.RemoveBackground, PromptUse.None, false, [new("image")], [], StabilityStandard with { MaxPixels = 4_194_304 }) with { TakesSeed = false };

    public static TaskOffer StabilitySketch { get; } = Tool(ImageTasks.Sketch, PromptUse.Required, true, [new("image")], [TaskParameter.Number("controlStrength", 0, 1, 0.7), StylePreset]);

    public static TaskOffer StabilityStructure { get; } = Tool(ImageTasks.Structure, PromptUse.Required, true, [new("image")], [TaskParameter.Number("controlStrength", 0, 1, 0.7), StylePreset]);

    public static TaskOffer StabilityStyleGuide { get; } = Tool(ImageTasks.StyleGuide, PromptUse.Required, true, [new("image")], [TaskParameter.Number("fidelity", 0, 1, 0.5), StylePreset]) with { AspectRatios = true };

    public static TaskOffer StabilityStyleTransfer { get; } = Tool(ImageTasks.StyleTransfer, PromptUse.Optional, true, [new("image"), new("styleImage")],
        [TaskParameter.Number("compositionFidelity", 0, 1, 0.9), TaskParameter.Number("styleStrength", 0, 1, 1), TaskParameter.Number("changeStrength", 0.1, 1, 0.9)]);

    /// <summary>Fast Upscale: 4× its input; width and height 32–1,536 px, 1,024–1,048,576 px in all.</summary>
    public static TaskOffer FastUpscale { get; } = Tool(ImageTasks.Upscale, PromptUse.None, false, [new("image")], [], new InputImageRule(AllFormats, 32, 1_536, 1_024, 1_048_576, 48)) with { TakesSeed = false };

    public static TaskOffer ConservativeUpscale { get; } = Tool(ImageTasks.Upscale, PromptUse.Required, true, [new("image")], [TaskParameter.Number("creativity", 0.1, 0.5, 0.35)]);

    /// <summary>Creative Upscale reads images of 4,096–1,048,576 px (AWS states no aspect bound; the standard one holds here).</summary>
    public static TaskOffer CreativeUpscale { get; } = Tool(ImageTasks.Upscale, PromptUse.Required, true, [new("image")], [TaskParameter.Number("creativity", 0.1, 0.5, 0.3), StylePreset], StabilityStandard with { MaxPixels = 1_048_576 });

    /// <summary>Titan: PNG or JPEG, at most 1,408 px on the longer side (no minimum documented; 64 here).</summary>
    public static InputImageRule TitanInput { get; } = new(PngJpeg, 64, 1_408, 4_096, 1_408L * 1_408, 22);

    /// <summary>Nova Canvas: PNG or JPEG, each side 320–4,096 px, aspect 1:4–4:1, fewer than 4,194,304 px.</summary>
    public static InputImageRule NovaInput { get; } = new(PngJpeg, 320, 4_096, 102_400, 4_194_303, 4);

    /// <summary>Titan's and Nova's tasks; <paramref name="v2"/> adds what Titan v1 lacks.</summary>
    public static IReadOnlyList<TaskOffer> Amazon(InputImageRule rule, int promptMaxLength, bool v2, int maxVariationImages)
    {
        var maskPrompt = TaskParameter.Text("maskPrompt", promptMaxLength);
        var mask = new TaskInput("mask", Required: false, IsMask: true);
        var offers = new List<TaskOffer>
        {
            new(ImageTasks.Variation, PromptUse.Optional, true, 5, [new("images", MaxImages: maxVariationImages)], [TaskParameter.Number("similarityStrength", 0.2, 1.0, 0.7)], rule),
            new(ImageTasks.Inpaint, PromptUse.Optional, true, 5, [new("image"), mask], [maskPrompt], rule, ExactlyOneOf: ["mask", "maskPrompt"], MaskSameSize: true),
            new(ImageTasks.Erase, PromptUse.None, false, 5, [new("image"), mask], [maskPrompt], rule, ExactlyOneOf: ["mask", "maskPrompt"], MaskSameSize: true),
            new(ImageTasks.Outpaint, PromptUse.Required, true, 5, [new("image"), mask], [maskPrompt, TaskParameter.Choice("outPaintingMode", ["DEFAULT", "PRECISE"])], rule, ExactlyOneOf: ["mask", "maskPrompt"], MaskSameSize: true),
        };
        if (v2)
        {
            offers.Add(new(ImageTasks.RemoveBackground, PromptUse.None, false, 1, [new("image")], [], rule));
            offers.Add(new(ImageTasks.ColorGuided, PromptUse.Required, true, 5, [new("referenceImage", Required: false)], [new TaskParameter("colors", TaskParameterKind.Colors, new NumberRange(1, 10, 1), Required: true)], rule));
            offers.Add(new(ImageTasks.Sketch, PromptUse.Required, true, 5, [new("image")], [TaskParameter.Number("controlStrength", 0, 1, 0.7)], rule));
            offers.Add(new(ImageTasks.Structure, PromptUse.Required, true, 5, [new("image")], [TaskParameter.Number("controlStrength", 0, 1, 0.7)], rule));
        }

        return offers;
    }
}
