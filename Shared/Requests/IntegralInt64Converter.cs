using System.Text.Json;
using System.Text.Json.Serialization;

namespace Jobs.Shared.Requests;

/// <summary>Reads a JSON number into a <see cref="long"/> when it is an integer, however it is written (<c>1E2</c> is 100).</summary>
public sealed class IntegralInt64Converter : JsonConverter<long>
{
    public override long Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => ReadIntegral(ref reader);

    public override void Write(Utf8JsonWriter writer, long value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteNumberValue(value);
    }

    /// <exception cref="JsonException">The token is not a number, or not an integer a long can hold.</exception>
    internal static long ReadIntegral(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.Number)
        {
            throw new JsonException("Expected a number.");
        }

        if (reader.TryGetInt64(out var exact))
        {
            return exact;
        }

        // Written with an exponent or a fraction: accept it only when it is an integer exactly.
        return reader.TryGetDecimal(out var value) && decimal.Truncate(value) == value && value is >= long.MinValue and <= long.MaxValue
            ? (long)value
            : throw new JsonException("Expected an integer.");
    }
}
