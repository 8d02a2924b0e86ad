using System.Text.RegularExpressions;
using Amazon;
using Jobs.Shared.Aws;

namespace Jobs.Local.Client;

/// <summary>
/// The HTTP client the <c>jobs</c> commands talk through: plain for the local stack, SigV4-signed
/// (service <c>execute-api</c>, the SDK's default credentials) for an API Gateway URL, which is how
/// the Pulumi program's API authorizes callers.
/// </summary>
public static partial class ApiConnection
{
    public const string DefaultApi = "http://127.0.0.1:8080/";

    public static HttpClient Create(Uri api, bool? sign, string? region)
    {
        ArgumentNullException.ThrowIfNull(api);
        var gateway = GatewayHost().Match(api.Host);
        HttpMessageHandler handler = new SocketsHttpHandler();
        if (sign ?? gateway.Success)
        {
            var signingRegion = region ?? (gateway.Success ? gateway.Groups[1].Value : Environment.GetEnvironmentVariable("AWS_REGION"))
                ?? throw new ArgumentException("Signing needs a Region: pass --region or set AWS_REGION.", nameof(region));
            handler = new SigV4SigningHandler("execute-api", RegionEndpoint.GetBySystemName(signingRegion), AwsEnvironment.Credentials(), TimeProvider.System, handler);
        }

        var baseAddress = api.AbsoluteUri.EndsWith('/') ? api : new Uri(api.AbsoluteUri + "/");
        // Long enough for the API's longest Prefer: wait (25 s) and its answer.
        return new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(40) };
    }

    [GeneratedRegex(@"^[a-z0-9]+\.execute-api\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$")]
    private static partial Regex GatewayHost();
}
