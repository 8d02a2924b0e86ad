namespace Jobs.Shared.Images;

/// <summary>
/// An image to store or already stored, with the facts kept as object metadata so a worker that
/// finds the object after a crash can rebuild the job's image record without generating again.
/// </summary>
public sealed record StoredImage(string Key, string ContentType, string Sha256, long Bytes, int Width, int Height, long Seed);
