namespace Jobs.Shared.Models;

/// <summary>
/// One Bedrock image model the service can call, with the rules its requests must follow.
/// <paramref name="EndOfLife"/> is the date Bedrock stops serving a Legacy model, when announced;
/// <paramref name="Price"/> what one image costs, when known.
/// </summary>
public sealed record ImageModel(string Id, string Name, ModelFamily Family, ModelLifecycle Lifecycle, ModelRules Rules, DateOnly? EndOfLife = null, ImagePrice? Price = null)
{
    /// <summary>
    /// The id InvokeModel is called with: a cross-Region inference profile (<c>us.…</c>) for models
    /// Bedrock serves only through one (Stability's Image Services); otherwise the model id.
    /// </summary>
    public string InvokeId { get; init; } = Id;

    /// <summary>False for models that only edit or upscale an input image.</summary>
    public bool TextToImage { get; init; } = true;

    /// <summary>The tasks beyond text-to-image this model runs, by task name.</summary>
    public IReadOnlyDictionary<string, Tasks.TaskOffer> Tasks { get; init; } = new Dictionary<string, Tasks.TaskOffer>(StringComparer.Ordinal);

    /// <summary>The lifecycle on a given day: a Legacy model whose end-of-life date has passed is end of life.</summary>
    public ModelLifecycle LifecycleOn(DateOnly today) =>
        Lifecycle == ModelLifecycle.Legacy && EndOfLife is { } end && today >= end ? ModelLifecycle.EndOfLife : Lifecycle;
}
