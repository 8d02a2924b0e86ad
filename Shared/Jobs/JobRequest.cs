namespace Jobs.Shared.Jobs;

/// <summary>
/// A request after validation: every value is one the chosen model accepts, with defaults filled in,
/// so the consumer never has to second-guess what the producer accepted.
/// </summary>
public sealed record JobRequest
{
    public required string Prompt { get; init; }
    public string? NegativePrompt { get; init; }
    public required string Model { get; init; }
    public string? AspectRatio { get; init; }
    public int? Width { get; init; }
    public int? Height { get; init; }
    /// <summary>The seed sent to the model; 0 asks Stability models for a random one.</summary>
    public long Seed { get; init; }
    public int Count { get; init; } = 1;
    public string OutputFormat { get; init; } = "png";
    public string? Style { get; init; }
    public string? Quality { get; init; }
    public double? CfgScale { get; init; }
    public int? Steps { get; init; }

    /// <summary>What the job does (<c>ImageTasks</c>); text-to-image unless the request says otherwise.</summary>
    public string Task { get; init; } = Models.Tasks.ImageTasks.TextToImage;

    /// <summary>The images the task reads, in request order.</summary>
    public IReadOnlyList<JobInput> Inputs { get; init; } = [];

    /// <summary>
    /// The task's parameters (<c>growMask</c>, <c>searchPrompt</c>, …), each as invariant text: a number
    /// in round-trip form, colours comma-separated. The task offer says each one's JSON shape.
    /// </summary>
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Equal when every field is, the inputs in order and the parameters as a set: a request is a value.</summary>
    public bool Equals(JobRequest? other) =>
        other is not null
        && Prompt == other.Prompt && NegativePrompt == other.NegativePrompt && Model == other.Model && AspectRatio == other.AspectRatio
        && Width == other.Width && Height == other.Height && Seed == other.Seed && Count == other.Count && OutputFormat == other.OutputFormat
        && Style == other.Style && Quality == other.Quality && CfgScale.Equals(other.CfgScale) && Steps == other.Steps && Task == other.Task
        && Inputs.SequenceEqual(other.Inputs)
        && Parameters.Count == other.Parameters.Count && Parameters.All(p => other.Parameters.TryGetValue(p.Key, out var v) && v == p.Value);

    public override int GetHashCode() => HashCode.Combine(Prompt, Model, Seed, Task, Inputs.Count, Parameters.Count);
}
