namespace Jobs.Shared.Batches;

/// <summary>An item of a manifest that cannot become a job, with why, as it appears in the results.</summary>
public sealed record BatchItemError(int Index, string? ClientId, string Field, string Message);
