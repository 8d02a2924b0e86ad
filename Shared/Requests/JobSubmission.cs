using System.Text.Json;
using System.Text.Json.Serialization;

namespace Jobs.Shared.Requests;

/// <summary>
/// The body of <c>POST /jobs</c> exactly as the client sent it. Every field is optional here so
/// that validation, not the JSON reader, names what is missing; unknown fields are kept so they
/// can be reported instead of silently ignored.
/// </summary>
public sealed record JobSubmission
{
    public string? Prompt { get; init; }
    public string? NegativePrompt { get; init; }
    public string? Model { get; init; }
    public string? AspectRatio { get; init; }
    [JsonConverter(typeof(IntegralInt32Converter))]
    public int? Width { get; init; }
    [JsonConverter(typeof(IntegralInt32Converter))]
    public int? Height { get; init; }
    [JsonConverter(typeof(IntegralInt64Converter))]
    public long? Seed { get; init; }
    [JsonConverter(typeof(IntegralInt32Converter))]
    public int? Count { get; init; }
    public string? OutputFormat { get; init; }
    public string? Style { get; init; }
    public string? Quality { get; init; }
    public double? CfgScale { get; init; }
    [JsonConverter(typeof(IntegralInt32Converter))]
    public int? Steps { get; init; }

    /// <summary>False to have the image made again even when an identical request (same seed) made it before. Default true.</summary>
    public bool? Cache { get; init; }

    /// <summary>Seconds from now within which the job must start; a job not started by then is never started and fails <c>expired</c>. Optional.</summary>
    [JsonConverter(typeof(IntegralInt32Converter))]
    public int? DeadlineSeconds { get; init; }

    /// <summary>The task (<c>inpaint</c>, <c>upscale</c>, …); default <c>text-to-image</c>.</summary>
    public string? Task { get; init; }

    /// <summary>Upload id of the image a task reads.</summary>
    public string? Image { get; init; }

    /// <summary>Upload id of a mask (white: change; black: keep).</summary>
    public string? Mask { get; init; }

    /// <summary>Upload ids of variation's source images (1–5).</summary>
    public IReadOnlyList<string>? Images { get; init; }

    /// <summary>Upload id of style transfer's style image.</summary>
    public string? StyleImage { get; init; }

    /// <summary>Upload id of color-guided generation's optional reference image.</summary>
    public string? ReferenceImage { get; init; }

    /// <summary>Fields not named above: a task's parameters (<c>growMask</c>, <c>searchPrompt</c>, …) or mistakes, which validation tells apart.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? UnknownFields { get; set; }
}
