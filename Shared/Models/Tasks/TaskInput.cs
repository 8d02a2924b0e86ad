namespace Jobs.Shared.Models.Tasks;

/// <summary>
/// One image a task reads, named by an upload id in the request (<c>image</c>, <c>mask</c>,
/// <c>styleImage</c>, <c>referenceImage</c>, or <c>images</c> for several).
/// </summary>
/// <param name="Name">The request field.</param>
/// <param name="Required">True when the task cannot run without it.</param>
/// <param name="MaxImages">More than 1 for a list (variation's <c>images</c>).</param>
/// <param name="IsMask">
/// A mask: white marks what to change, black what to keep (grey, on Stability's models, a partial
/// change), whatever the model's own convention; the consumer rewrites it for Titan and Nova.
/// </param>
public sealed record TaskInput(string Name, bool Required = true, int MaxImages = 1, bool IsMask = false);
