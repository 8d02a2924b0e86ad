namespace Jobs.Shared.Uploads;

/// <summary>An object in the uploads bucket is larger than uploads may be (it got there some other way than the form).</summary>
public sealed class UploadTooLargeException(long bytes, long maxBytes)
    : Exception($"The upload is {bytes} bytes; the limit is {maxBytes}.")
{
    public long Bytes { get; } = bytes;
}
