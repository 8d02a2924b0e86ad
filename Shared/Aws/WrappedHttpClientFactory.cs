using Amazon.Runtime;

namespace Jobs.Shared.Aws;

/// <summary>
/// Gives the AWS SDK clients an <see cref="HttpClient"/> over <see cref="AwsHttpOptions.CreateHandler"/>,
/// so a handler a host added sees SDK traffic as well. Used only when a host set
/// <see cref="AwsHttpOptions.WrapHandler"/>; otherwise the SDK builds its own clients.
/// </summary>
/// <remarks>
/// The SDK's own client cache is keyed by settings, not by factory, so with it two services with
/// different handlers would share whichever client was made first; this factory keeps one handler
/// of its own instead and hands the SDK light clients over it.
/// </remarks>
internal sealed class WrappedHttpClientFactory(AwsHttpOptions options) : HttpClientFactory
{
    /// <summary>The SDK's own default when a client sets no timeout.</summary>
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(100);

    private readonly Lazy<HttpMessageHandler> _handler = new(options.CreateHandler);

    public override HttpClient CreateHttpClient(IClientConfig clientConfig)
    {
        ArgumentNullException.ThrowIfNull(clientConfig);
        return new HttpClient(_handler.Value, disposeHandler: false) { Timeout = clientConfig.Timeout ?? DefaultTimeout };
    }

    public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;

    // The client is a thin shell over the shared handler: disposing it frees nothing the next request needs.
    public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => true;
}
