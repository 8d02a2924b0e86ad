using System.Text.Json;
using System.Text.Json.Serialization;

namespace Jobs.Shared.Requests;

/// <summary>
/// Reads a JSON number into an <see cref="int"/> when it is one, however it is written: <c>100</c>,
/// <c>1E2</c> and <c>100.0</c> are the same number in JSON (RFC 8259 does not tell them apart), so
/// a client whose serializer writes exponents is not refused. A fraction or a value out of range is.
/// </summary>
public sealed class IntegralInt32Converter : JsonConverter<int>
{
    public override int Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var value = IntegralInt64Converter.ReadIntegral(ref reader);
        return value is >= int.MinValue and <= int.MaxValue ? (int)value : throw new JsonException("The number is outside the range of a 32-bit integer.");
    }

    public override void Write(Utf8JsonWriter writer, int value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteNumberValue(value);
    }
}
