namespace Jobs.Producer.Batches;

/// <summary>One page of <c>GET /batches</c>, newest first; pass <see cref="NextBefore"/> back as <c>before</c> for the next page.</summary>
public sealed record BatchListView(IReadOnlyList<BatchView> Items, DateTimeOffset? NextBefore);
