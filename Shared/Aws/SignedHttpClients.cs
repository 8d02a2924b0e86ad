using Microsoft.Extensions.DependencyInjection;

namespace Jobs.Shared.Aws;

/// <summary>
/// The <see cref="HttpClient"/> of a hand-written AWS client: signed with SigV4 for its service,
/// at the endpoint the SDK would choose, over the function's <see cref="AwsHttpOptions"/> handler.
/// </summary>
public static class SignedHttpClients
{
    /// <param name="services">Gives the clock and the HTTP options.</param>
    /// <param name="signingName">The SigV4 service name, e.g. <c>sns</c> or <c>bedrock</c>.</param>
    /// <param name="serviceEnvironmentId">The service's id in <c>AWS_ENDPOINT_URL_{id}</c>, e.g. <c>BEDROCK_RUNTIME</c>.</param>
    /// <param name="endpointPrefix">The AWS host prefix, e.g. <c>bedrock-runtime</c>.</param>
    /// <param name="environment">Reads an environment variable.</param>
    public static HttpClient Create(IServiceProvider services, string signingName, string serviceEnvironmentId, string endpointPrefix, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(services);
        var region = AwsEnvironment.Region();
        return new HttpClient(new SigV4SigningHandler(
            signingName,
            region,
            AwsEnvironment.Credentials(),
            services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<AwsHttpOptions>().CreateHandler()))
        {
            BaseAddress = ServiceEndpoints.Resolve(serviceEnvironmentId, endpointPrefix, region.SystemName, environment),
            // The callers' resilience pipelines own timeouts.
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }
}
