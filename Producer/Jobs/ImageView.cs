namespace Jobs.Producer.Jobs;

/// <summary>A stored image as a client sees it: a presigned download URL plus what it can check the download against.</summary>
public sealed record ImageView(Uri? Url, string Bucket, string Key, string Sha256, long Bytes, int Width, int Height, long Seed);
