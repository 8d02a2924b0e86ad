namespace Jobs.Shared.Jobs;

/// <summary>One stored image of a succeeded job; the hash and size let a client verify what it downloads.</summary>
public sealed record JobImage(string Bucket, string Key, string Sha256, long Bytes, int Width, int Height, long Seed);
