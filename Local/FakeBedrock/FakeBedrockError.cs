using Jobs.Consumer.Bedrock;

namespace Jobs.Local.FakeBedrock;

/// <summary>An error the fake answers with, in Bedrock's shape: <c>x-amzn-ErrorType</c> and <c>{"message"}</c>.</summary>
public sealed record FakeBedrockError(string Type, int StatusCode, string Message)
{
    /// <summary>The error of a Bedrock type with its HTTP status and a message like Bedrock's.</summary>
    public static FakeBedrockError Of(string type) => type switch
    {
        BedrockErrors.Throttling => new(type, 429, "Too many requests, please wait before trying again. You have sent too many requests. Wait before trying again."),
        BedrockErrors.ModelNotReady => new(type, 429, "Model is not ready to serve inference requests. Try again later."),
        BedrockErrors.ServiceUnavailable => new(type, 503, "Service is temporarily unavailable."),
        BedrockErrors.InternalServer => new(type, 500, "The server encountered an internal error while processing the request."),
        BedrockErrors.ModelTimeout => new(type, 408, "Model has timed out in processing the request."),
        BedrockErrors.Validation => new(type, 400, "Malformed input request, please reformat your input and try again."),
        BedrockErrors.AccessDenied => new(type, 403, "You don't have access to the model with the specified model ID."),
        BedrockErrors.ResourceNotFound => new(type, 404, "This model version has reached the end of its life. Please refer to the AWS documentation for more details."),
        BedrockErrors.ServiceQuotaExceeded => new(type, 400, "Your request exceeds the service quota for your account."),
        BedrockErrors.ModelError => new(type, 424, "The model returned an error."),
        _ => throw new ArgumentException($"Unknown Bedrock error type '{type}'.", nameof(type)),
    };
}
