namespace Jobs.Shared.Aws;

/// <summary>
/// Endpoint rules for the hand-written clients, the same as the AWS SDKs apply to their own:
/// <c>AWS_ENDPOINT_URL_{SERVICE}</c>, then <c>AWS_ENDPOINT_URL</c>, then the public regional host.
/// </summary>
public static class ServiceEndpoints
{
    /// <param name="serviceEnvironmentId">The service's id in the variable name, e.g. <c>SNS</c> or <c>BEDROCK_RUNTIME</c>.</param>
    /// <param name="endpointPrefix">The AWS host prefix, e.g. <c>sns</c> or <c>bedrock-runtime</c>.</param>
    /// <param name="region">The region system name, e.g. <c>us-west-2</c>.</param>
    /// <param name="environment">Reads an environment variable; tests pass their own.</param>
    public static Uri Resolve(string serviceEnvironmentId, string endpointPrefix, string region, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var configured = environment($"AWS_ENDPOINT_URL_{serviceEnvironmentId}");
        if (string.IsNullOrWhiteSpace(configured))
        {
            configured = environment("AWS_ENDPOINT_URL");
        }

        return string.IsNullOrWhiteSpace(configured)
            ? new Uri($"https://{endpointPrefix}.{region}.amazonaws.com/")
            : new Uri(configured.EndsWith('/') ? configured : configured + "/");
    }
}
