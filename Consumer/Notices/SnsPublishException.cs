namespace Jobs.Consumer.Notices;

/// <summary>SNS refused a Publish; <see cref="Code"/> is SNS's error code (e.g. <c>NotFound</c>, <c>Throttling</c>).</summary>
public sealed class SnsPublishException(string code, string message, int statusCode)
    : Exception($"SNS Publish failed ({statusCode} {code}): {message}")
{
    public string Code { get; } = code;
    public int StatusCode { get; } = statusCode;

    /// <summary>Worth another try: SNS (or KMS through it) throttled, or failed on its side.</summary>
    public bool IsRetryable => StatusCode >= 500
        || Code is "Throttling" or "ThrottlingException" or "ThrottledException" or "RequestLimitExceeded" or "KMSThrottling" or "InternalError" or "InternalFailure" or "ServiceUnavailable";
}
