using System.Text.Json;
using System.Text.Json.Serialization;

namespace Jobs.Producer.Uploads;

/// <summary>The body of <c>POST /uploads</c>: the content type the file will be sent with.</summary>
public sealed record UploadRequest
{
    /// <summary><c>image/png</c>, <c>image/jpeg</c> or <c>image/webp</c>.</summary>
    public string? ContentType { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? UnknownFields { get; set; }
}
