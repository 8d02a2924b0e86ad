namespace Jobs.Shared.Storage;

/// <summary>
/// What a listing narrows to beside its owner and status: a model, and a window of creation times
/// (both ends inclusive). The window is part of the index key condition, so it costs no extra reads;
/// the model is checked on the items the page reads back.
/// </summary>
public sealed record JobListFilter(string? Model = null, DateTimeOffset? CreatedAfter = null, DateTimeOffset? CreatedBefore = null)
{
    public static JobListFilter None { get; } = new();
}
