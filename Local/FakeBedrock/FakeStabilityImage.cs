using Jobs.Consumer;
using System.Text.Json;
using Jobs.Consumer.Bedrock;
using Jobs.Shared.Json;
using Jobs.Shared.Models;

namespace Jobs.Local.FakeBedrock;

/// <summary>The fake's side of Stability's current models: checks the body and answers in their shape.</summary>
public static class FakeStabilityImage
{
    public static (FakeRequest? Request, FakeAnswer? Invalid) Read(byte[] body, ImageModel model)
    {
        var (request, unreadable) = FakeBody.Read(body, ConsumerJsonContext.Default.StabilityImageRequest);
        if (unreadable is not null)
        {
            return (null, unreadable);
        }

        var rules = model.Rules;
        var problem = request switch
        {
            null or { Prompt.Length: 0 } => "#: required key [prompt] not found",
            { Prompt.Length: var p } when p > rules.PromptMaxLength => $"#/prompt: expected maxLength: {rules.PromptMaxLength}, actual: {p}",
            { NegativePrompt.Length: var n } when n > rules.NegativePromptMaxLength => $"#/negative_prompt: expected maxLength: {rules.NegativePromptMaxLength}, actual: {n}",
            { AspectRatio: { } ratio } when !rules.AspectRatios!.ContainsKey(ratio) => $"#/aspect_ratio: {ratio} is not a valid enum value",
            { Seed: { } s } when s < 0 || s > rules.SeedMax => $"#/seed: {s} is not in range 0..{rules.SeedMax}",
            { OutputFormat: { } format } when format is not ("png" or "jpeg") => $"#/output_format: {format} is not a valid enum value",
            { Mode: { } mode } when mode != "text-to-image" => $"#/mode: {mode} needs an input image",
            _ => null,
        };
        if (problem is not null)
        {
            return (null, FakeAnswer.Malformed(problem));
        }

        var size = rules.AspectRatios![request!.AspectRatio ?? rules.DefaultAspectRatio!];
        var seed = request.Seed is > 0 ? request.Seed.Value : ImagePainter.SeedFor(request.Prompt);
        return (new FakeRequest(request.Prompt, seed, 1, size, Answer), null);
    }

    /// <summary>The model family's answer to a call, filtered or not; its image tasks answer the same way.</summary>
    internal static FakeAnswer Answer(IReadOnlyList<(byte[] Png, long Seed)> images, FakeFilter filter)
    {
        var reason = filter switch
        {
            FakeFilter.Prompt => "Filter reason: prompt",
            FakeFilter.Output => "Filter reason: output image",
            _ => null,
        };
        return FakeAnswer.Ok(JsonSerializer.SerializeToUtf8Bytes(new StabilityImageResponse
        {
            Seeds = images.Select(i => i.Seed).ToList(),
            FinishReasons = images.Select(_ => reason).ToList(),
            Images = images.Select(i => Convert.ToBase64String(i.Png)).ToList(),
        }, ConsumerJsonContext.Default.StabilityImageResponse));
    }
}
