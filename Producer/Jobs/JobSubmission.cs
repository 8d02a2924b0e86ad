using System.Text.Json;
using System.Text.Json.Serialization;

namespace Jobs.Producer.Jobs;

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
    public int? Width { get; init; }
    public int? Height { get; init; }
    public long? Seed { get; init; }
    public int? Count { get; init; }
    public string? OutputFormat { get; init; }
    public string? Style { get; init; }
    public string? Quality { get; init; }
    public double? CfgScale { get; init; }
    public int? Steps { get; init; }

    /// <summary>False to have the image made again even when an identical request (same seed) made it before. Default true.</summary>
    public bool? Cache { get; init; }

    /// <summary>Seconds from now within which the job must start; a job not started by then is never started and fails <c>expired</c>. Optional.</summary>
    public int? DeadlineSeconds { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? UnknownFields { get; set; }
}
