namespace Jobs.Shared.Batches;

/// <summary>What a batch may hold and touch.</summary>
public sealed class BatchOptions
{
    /// <summary>Buckets an item's <c>output</c> may name. Environment: <c>JOBS_OUTPUT_BUCKETS</c> (comma-separated). Default none.</summary>
    public IReadOnlySet<string> OutputBuckets { get; set; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Buckets a manifest may be read from besides the service's own. Environment: <c>JOBS_MANIFEST_BUCKETS</c>.</summary>
    public IReadOnlySet<string> ManifestBuckets { get; set; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Items in one <c>POST /batches</c> body.</summary>
    public int MaxInlineItems { get; set; } = 1_000;

    /// <summary>Items in one manifest.</summary>
    public int MaxManifestItems { get; set; } = 100_000;

    /// <summary>Jobs one expansion step creates: small enough for one invocation, large enough to keep the steps few.</summary>
    public int ChunkSize { get; set; } = 500;
}
