using Jobs.Shared.Jobs;

namespace Jobs.Shared.Storage;

/// <summary>The images a succeeded job made for a fingerprint, and that job's id.</summary>
public sealed record CachedResult(string JobId, IReadOnlyList<JobImage> Images);
