namespace Jobs.Consumer.Pacing;

/// <summary>Where every consumer's pace for a model lives, so they all draw from one bucket.</summary>
public interface IPaceStore
{
    Task<PaceState?> GetAsync(string model, CancellationToken cancellationToken);

    /// <summary>Writes <paramref name="next"/> if the bucket is still <paramref name="expected"/> (or absent when that is null).</summary>
    Task<PaceWrite> TryReplaceAsync(string model, PaceState? expected, PaceState next, CancellationToken cancellationToken);
}
