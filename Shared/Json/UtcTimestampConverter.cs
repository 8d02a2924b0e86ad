using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Jobs.Shared.Json;

/// <summary>
/// Writes instants as UTC ISO-8601 with a <c>Z</c> (e.g. <c>2026-01-15T12:30:00.123Z</c>): one
/// unambiguous form for clients and subscribers, and no escaped '+' in the JSON.
/// </summary>
public sealed class UtcTimestampConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        DateTimeOffset.Parse(reader.GetString() ?? throw new JsonException("A timestamp must be a string."), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
    }
}
