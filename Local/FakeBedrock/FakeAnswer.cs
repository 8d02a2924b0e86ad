namespace Jobs.Local.FakeBedrock;

/// <summary>What the fake sends back for one call: a 200 JSON body, or a Bedrock error.</summary>
public sealed record FakeAnswer(byte[]? Body, FakeBedrockError? Error)
{
    public static FakeAnswer Ok(byte[] body) => new(body, null);

    public static FakeAnswer Fail(FakeBedrockError error) => new(null, error);

    /// <summary>Bedrock's wording for a body that breaks the model's schema.</summary>
    public static FakeAnswer Malformed(string detail) =>
        Fail(new FakeBedrockError("ValidationException", 400, $"Malformed input request: {detail}, please reformat your input and try again."));
}
