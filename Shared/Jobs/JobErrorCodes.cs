namespace Jobs.Shared.Jobs;

/// <summary>
/// The closed set of <c>error.code</c> values a client can see; the README lists what each means.
/// </summary>
public static class JobErrorCodes
{
    public const string InvalidRequest = "invalid_request";
    public const string ContentFiltered = "content_filtered";
    public const string ModelAccessDenied = "model_access_denied";
    public const string ModelNotFound = "model_not_found";
    public const string ModelError = "model_error";
    public const string Throttled = "throttled";

    /// <summary>Not an error: the job waits for its slot in the model's pace (its quota, shared by all workers).</summary>
    public const string AwaitingCapacity = "awaiting_capacity";
    public const string Transient = "transient";
    public const string Expired = "expired";
    public const string ModelUnavailable = "model_unavailable";
    public const string RetriesExhausted = "retries_exhausted";
    public const string DeadLettered = "dead_lettered";
    public const string InvalidJob = "invalid_job";

    /// <summary>An input image was gone (its upload expired) or changed since the job was accepted; nothing was sent to Bedrock.</summary>
    public const string InputUnavailable = "input_unavailable";

    /// <summary>The deployment lacks something the service needs (a permission, a resource); an operator must act.</summary>
    public const string ServiceMisconfigured = "service_misconfigured";
}
