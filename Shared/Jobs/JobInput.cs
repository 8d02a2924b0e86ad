namespace Jobs.Shared.Jobs;

/// <summary>
/// An input image of a job: the upload it names and, once the producer has read it, what it is.
/// The hash keeps the job's record meaningful after the upload expires, and lets the consumer refuse
/// an object that changed after validation rather than pay for a call on it.
/// </summary>
/// <param name="Name">The request field (<c>image</c>, <c>mask</c>, <c>images</c>, <c>styleImage</c>, <c>referenceImage</c>).</param>
/// <param name="UploadId">The upload id the request gave.</param>
public sealed record JobInput(string Name, string UploadId)
{
    /// <summary>The upload's S3 key, under its owner's prefix.</summary>
    public string Key { get; init; } = string.Empty;
    /// <summary>Lower-case hex SHA-256 of the bytes validated.</summary>
    public string Sha256 { get; init; } = string.Empty;
    /// <summary><c>png</c>, <c>jpeg</c> or <c>webp</c>, read from the bytes.</summary>
    public string Format { get; init; } = string.Empty;
    public int Width { get; init; }
    public int Height { get; init; }
    public long Bytes { get; init; }
}
