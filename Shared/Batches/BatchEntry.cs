using Jobs.Shared.Jobs;

namespace Jobs.Shared.Batches;

/// <summary>One valid manifest item, ready to become a job: what the expansion writes to a chunk file and reads back.</summary>
public sealed record BatchEntry(int Index, string? ClientId, Dictionary<string, string>? Metadata, OutputLocation? Output, JobRequest Request);
