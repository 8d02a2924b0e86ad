using Jobs.Consumer;
using System.Globalization;
using System.Text.Json;
using Jobs.Consumer.Bedrock;
using Jobs.Shared.Json;
using Jobs.Shared.Models;

namespace Jobs.Local.FakeBedrock;

/// <summary>The fake's side of Titan Image Generator and Nova Canvas: checks the body and answers in their shape.</summary>
public static class FakeAmazonImage
{
    public static (FakeRequest? Request, FakeAnswer? Invalid) Read(byte[] body, ImageModel model)
    {
        var (request, unreadable) = FakeBody.Read(body, ConsumerJsonContext.Default.AmazonImageRequest);
        if (unreadable is not null)
        {
            return (null, unreadable);
        }

        var rules = model.Rules;
        var text = request?.TextToImageParams;
        var config = request?.ImageGenerationConfig ?? new AmazonImageGenerationConfig();
        var size = new ImageSize(config.Width ?? rules.DefaultSize!.Value.Width, config.Height ?? rules.DefaultSize!.Value.Height);
        var problem = (request, text, config) switch
        {
            (null, _, _) => "#: required key [taskType] not found",
            ({ TaskType: not "TEXT_IMAGE" }, _, _) => $"#/taskType: {request.TaskType} is not supported by this service",
            (_, null or { Text: null or { Length: 0 } }, _) => "#/textToImageParams: required key [text] not found",
            (_, { Text.Length: var t }, _) when t > rules.PromptMaxLength => $"#/textToImageParams/text: expected maxLength: {rules.PromptMaxLength}, actual: {t}",
            (_, { NegativeText.Length: var n }, _) when n > rules.NegativePromptMaxLength => $"#/textToImageParams/negativeText: expected maxLength: {rules.NegativePromptMaxLength}, actual: {n}",
            (_, { Style: not null }, _) when rules.Styles is null => "#/textToImageParams: extraneous key [style] is not permitted",
            (_, { Style: { } style }, _) when !rules.Styles!.Contains(style) => $"#/textToImageParams/style: {style} is not a valid enum value",
            (_, _, { NumberOfImages: { } count }) when count < 1 || count > rules.MaxCount => $"#/imageGenerationConfig/numberOfImages: {count} is not in range 1..{rules.MaxCount}",
            (_, _, { Quality: { } quality }) when !rules.Qualities!.Contains(quality) => $"#/imageGenerationConfig/quality: {quality} is not a valid enum value",
            (_, _, { CfgScale: { } cfg }) when !rules.CfgScale!.Contains(cfg) =>
                string.Create(CultureInfo.InvariantCulture, $"#/imageGenerationConfig/cfgScale: {cfg} is not in range {rules.CfgScale.Min}..{rules.CfgScale.Max}"),
            (_, _, { Seed: { } s }) when s < 0 || s > rules.SeedMax => $"#/imageGenerationConfig/seed: {s} is not in range 0..{rules.SeedMax}",
            _ when rules.Sizes is { } sizes && !sizes.Contains(size) => $"#/imageGenerationConfig: {size.Width}x{size.Height} is not a supported width and height",
            _ when rules.FreeSize?.Check(size.Width, size.Height) is { } why => $"#/imageGenerationConfig: {size.Width}x{size.Height}: {why}",
            _ => null,
        };
        if (problem is not null)
        {
            return (null, FakeAnswer.Malformed(problem));
        }

        return (new FakeRequest(text!.Text!, config.Seed ?? 0, config.NumberOfImages ?? 1, size, Answer), null);
    }

    /// <summary>The model family's answer to a call, filtered or not; its image tasks answer the same way.</summary>
    internal static FakeAnswer Answer(IReadOnlyList<(byte[] Png, long Seed)> images, FakeFilter filter) => filter switch
    {
        // Titan and Nova refuse a blocked prompt outright, and answer 200 with an error for a blocked output.
        FakeFilter.Prompt => FakeAnswer.Fail(new FakeBedrockError(
            BedrockErrors.Validation,
            400,
            "This request has been blocked by our content filters. Our filters automatically flagged this prompt because it may conflict our AUP or AWS Responsible AI Policy. Please adjust your text prompt to submit a new request.")),
        FakeFilter.Output => FakeAnswer.Ok(JsonSerializer.SerializeToUtf8Bytes(
            new AmazonImageResponse { Images = [], Error = "All of the generated images have been blocked by our content filters." },
            ConsumerJsonContext.Default.AmazonImageResponse)),
        _ => FakeAnswer.Ok(JsonSerializer.SerializeToUtf8Bytes(
            new AmazonImageResponse { Images = images.Select(i => Convert.ToBase64String(i.Png)).ToList() },
            ConsumerJsonContext.Default.AmazonImageResponse)),
    };
}
