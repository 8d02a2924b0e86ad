using Jobs.Producer.Jobs;

namespace Jobs.Producer.Batches;

/// <summary>One page of <c>GET /batches/{id}/jobs</c>, in manifest order; pass <see cref="NextFrom"/> back as <c>from</c> for the next page.</summary>
public sealed record BatchJobsView(IReadOnlyList<JobView> Items, int? NextFrom);
