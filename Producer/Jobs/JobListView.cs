namespace Jobs.Producer.Jobs;

/// <summary>One page of <c>GET /jobs</c>; pass <see cref="NextCursor"/> back as <c>cursor</c> for the next page.</summary>
public sealed record JobListView(IReadOnlyList<JobView> Items, string? NextCursor);
