namespace Jobs.Consumer.Bedrock;

/// <summary>
/// An error answer from Bedrock Runtime. <see cref="ErrorType"/> is the text before ':' in
/// <c>x-amzn-ErrorType</c> (or the body's <c>__type</c>), e.g. <c>ThrottlingException</c>.
/// </summary>
public sealed class BedrockException(string errorType, int statusCode, string message)
    : Exception($"Bedrock {errorType} ({statusCode}): {message}")
{
    public string ErrorType { get; } = errorType;
    public int StatusCode { get; } = statusCode;
    public string BedrockMessage { get; } = message;

    /// <summary>Worth trying again after a pause: throttling, a model warming up, or a server-side fault.</summary>
    public bool IsRetryable => BedrockErrors.IsRetryable(ErrorType, StatusCode);

    /// <summary>Bedrock is saying "not now", not "no": the job must wait, not fail.</summary>
    public bool IsCapacity => ErrorType is BedrockErrors.Throttling or BedrockErrors.ModelNotReady;

    /// <summary>A fault of the model or the service (not of the request, not capacity): what the circuit breaker counts.</summary>
    public bool IsServerFault => ErrorType is BedrockErrors.ServiceUnavailable or BedrockErrors.InternalServer or BedrockErrors.ModelTimeout
        || (IsRetryable && !IsCapacity);
}
