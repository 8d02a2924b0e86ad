namespace Jobs.Local.FakeBedrock;

/// <summary>An error the fake answers with, in Bedrock's shape: <c>x-amzn-ErrorType</c> and <c>{"message"}</c>.</summary>
public sealed record FakeBedrockError(string Type, int StatusCode, string Message);
