using Jobs.Shared.Jobs;

namespace Jobs.Shared.Storage;

/// <summary>One page of a status query, newest first; <see cref="NextCursor"/> is null on the last page.</summary>
public sealed record JobPage(IReadOnlyList<Job> Items, string? NextCursor);
