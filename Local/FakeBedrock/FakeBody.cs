using System.Text.Json;
using System.Text.RegularExpressions;
using System.Text.Json.Serialization.Metadata;

namespace Jobs.Local.FakeBedrock;

/// <summary>Reads a family's request body, or the Bedrock answer for a body that is not even JSON of the right shape.</summary>
public static partial class FakeBody
{
    public static (T? Body, FakeAnswer? Invalid) Read<T>(byte[] body, JsonTypeInfo<T> type)
        where T : class
    {
        try
        {
            return (JsonSerializer.Deserialize(body, type), null);
        }
        catch (JsonException ex)
        {
            // Bedrock names a missing key its own way; the reader's wording would leak .NET type names.
            var missing = MissingKey().Match(ex.Message);
            return (null, FakeAnswer.Malformed(missing.Success ? $"#: required key [{missing.Groups[1].Value}] not found" : "#: " + ex.Message));
        }
    }

    [GeneratedRegex("missing required properties including: '([^']+)'")]
    private static partial Regex MissingKey();
}
