using Jobs.Shared.Jobs;

namespace Jobs.Shared.Storage;

/// <summary>Recent results by request fingerprint: the consumer records them, the producer answers repeats from them.</summary>
public interface IResultCache
{
    Task<CachedResult?> FindAsync(string fingerprint, CancellationToken cancellationToken);

    /// <summary>Records a succeeded job's images for its fingerprint until <paramref name="expiresAt"/> (before its images expire).</summary>
    Task StoreAsync(string fingerprint, string jobId, IReadOnlyList<JobImage> images, DateTimeOffset expiresAt, CancellationToken cancellationToken);
}
