using Jobs.Shared.Jobs;

namespace Jobs.Consumer.Bedrock;

/// <summary>
/// Bedrock Runtime's error types and what each means for a job: retry later, or fail now with
/// which <c>error.code</c>.
/// </summary>
public static class BedrockErrors
{
    public const string Throttling = "ThrottlingException";
    public const string ModelNotReady = "ModelNotReadyException";
    public const string ServiceUnavailable = "ServiceUnavailableException";
    public const string InternalServer = "InternalServerException";
    public const string ModelTimeout = "ModelTimeoutException";
    public const string Validation = "ValidationException";
    public const string AccessDenied = "AccessDeniedException";
    public const string ResourceNotFound = "ResourceNotFoundException";
    public const string ServiceQuotaExceeded = "ServiceQuotaExceededException";
    public const string ModelError = "ModelErrorException";

    public static bool IsRetryable(string errorType, int statusCode) => errorType switch
    {
        Throttling or ModelNotReady or ServiceUnavailable or InternalServer or ModelTimeout => true,
        Validation or AccessDenied or ResourceNotFound or ServiceQuotaExceeded or ModelError => false,
        // An unknown type: trust the status class, as the SDKs do.
        _ => statusCode is 429 or >= 500,
    };

    /// <summary>The job error for a Bedrock error that ends the job.</summary>
    public static JobError ToJobError(BedrockException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var code = error.ErrorType switch
        {
            Validation when error.BedrockMessage.Contains("content filters", StringComparison.OrdinalIgnoreCase) => JobErrorCodes.ContentFiltered,
            Validation or ServiceQuotaExceeded => JobErrorCodes.InvalidRequest,
            AccessDenied => JobErrorCodes.ModelAccessDenied,
            ResourceNotFound => JobErrorCodes.ModelNotFound,
            Throttling => JobErrorCodes.Throttled,
            ModelError => JobErrorCodes.ModelError,
            _ when error.IsRetryable => JobErrorCodes.Transient,
            _ => JobErrorCodes.ModelError,
        };
        return new JobError(code, $"{error.ErrorType}: {error.BedrockMessage}");
    }
}
