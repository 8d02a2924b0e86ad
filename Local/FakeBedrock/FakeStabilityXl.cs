using Jobs.Consumer;
using System.Globalization;
using System.Text.Json;
using Jobs.Consumer.Bedrock;
using Jobs.Shared.Json;
using Jobs.Shared.Models;

namespace Jobs.Local.FakeBedrock;

/// <summary>The fake's side of SDXL 1.0: checks the body and answers with artifacts.</summary>
public static class FakeStabilityXl
{
    public static (FakeRequest? Request, FakeAnswer? Invalid) Read(byte[] body, ImageModel model)
    {
        var (request, unreadable) = FakeBody.Read(body, ConsumerJsonContext.Default.StabilityXlRequest);
        if (unreadable is not null)
        {
            return (null, unreadable);
        }

        var rules = model.Rules;
        var prompt = request?.TextPrompts?.FirstOrDefault(p => p.Weight is null or > 0)?.Text;
        var size = new ImageSize(request?.Width ?? 1024, request?.Height ?? 1024);
        var problem = request switch
        {
            null or { TextPrompts: null or { Count: 0 } } => "#: required key [text_prompts] not found",
            _ when string.IsNullOrEmpty(prompt) => "#/text_prompts/0/text: expected minLength: 1",
            _ when prompt.Length > rules.PromptMaxLength => $"#/text_prompts/0/text: expected maxLength: {rules.PromptMaxLength}, actual: {prompt.Length}",
            { CfgScale: { } cfg } when !rules.CfgScale!.Contains(cfg) => string.Create(CultureInfo.InvariantCulture, $"#/cfg_scale: {cfg} is not in range {rules.CfgScale.Min}..{rules.CfgScale.Max}"),
            { Steps: { } steps } when !rules.Steps!.Contains(steps) => $"#/steps: {steps} is not in range {rules.Steps.Min}..{rules.Steps.Max}",
            { Seed: { } s } when s < 0 || s > rules.SeedMax => $"#/seed: {s} is not in range 0..{rules.SeedMax}",
            { StylePreset: { } style } when !rules.Styles!.Contains(style) => $"#/style_preset: {style} is not a valid enum value",
            { Samples: { } samples } when samples != 1 => $"#/samples: {samples} is not in range 1..1",
            _ when !rules.Sizes!.Contains(size) => $"#: {size.Width}x{size.Height} is not a supported width and height",
            _ => null,
        };
        if (problem is not null)
        {
            return (null, FakeAnswer.Malformed(problem));
        }

        var seed = request!.Seed is > 0 ? request.Seed.Value : ImagePainter.SeedFor(prompt!);
        return (new FakeRequest(prompt!, seed, 1, size, Answer), null);
    }

    private static FakeAnswer Answer(IReadOnlyList<(byte[] Png, long Seed)> images, FakeFilter filter) =>
        FakeAnswer.Ok(JsonSerializer.SerializeToUtf8Bytes(new StabilityXlResponse
        {
            Result = "success",
            Artifacts = images.Select(i => new StabilityXlArtifact
            {
                Seed = i.Seed,
                Base64 = Convert.ToBase64String(i.Png),
                FinishReason = filter == FakeFilter.None ? "SUCCESS" : "CONTENT_FILTERED",
            }).ToList(),
        }, ConsumerJsonContext.Default.StabilityXlResponse));
}
