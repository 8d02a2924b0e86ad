namespace Jobs.Producer.Jobs;

/// <summary>An input image of a job as it was validated: the upload it came from and what it was, kept after the upload expires.</summary>
public sealed record InputView(string Name, string UploadId, string Sha256, string Format, int Width, int Height, long Bytes);
