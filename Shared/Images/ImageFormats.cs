namespace Jobs.Shared.Images;

/// <summary>The input image formats Bedrock's image models read, named as their content types end.</summary>
public static class ImageFormats
{
    public const string Png = "png";
    public const string Jpeg = "jpeg";
    public const string Webp = "webp";

    /// <summary>The content type of a format.</summary>
    public static string ContentType(string format) => "image/" + format;

    /// <summary>The format of a content type, or null when it is none of the three.</summary>
    public static string? FromContentType(string? contentType) => contentType?.Trim().ToLowerInvariant() switch
    {
        "image/png" => Png,
        "image/jpeg" => Jpeg,
        "image/webp" => Webp,
        _ => null,
    };
}
