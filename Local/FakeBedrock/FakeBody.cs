using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Jobs.Local.FakeBedrock;

/// <summary>Reads a family's request body, or the Bedrock answer for a body that is not even JSON of the right shape.</summary>
public static class FakeBody
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
            return (null, FakeAnswer.Malformed("#: " + ex.Message));
        }
    }
}
