namespace Jobs.Shared.Aws;

/// <summary>
/// The HTTP handler under every AWS call a function makes: the SDK clients' and the signed SNS and
/// Bedrock clients'. In Lambda nothing is set and each client keeps its own HTTP stack. A host may
/// add a handler here to watch or shape traffic without a second code path; the local stack uses
/// it to record each call a function makes, which the IAM coverage test checks against the
/// function's role policy.
/// </summary>
public sealed class AwsHttpOptions
{
    /// <summary>
    /// Wraps the innermost handler (a <see cref="SocketsHttpHandler"/>) of every AWS client built
    /// from these options; the signed clients sign before it runs, so it sees the request as sent.
    /// Default: none.
    /// </summary>
    public Func<HttpMessageHandler, HttpMessageHandler>? WrapHandler { get; set; }

    /// <summary>The handler an AWS client sends through: a pooled socket handler, wrapped when a host asked.</summary>
    public HttpMessageHandler CreateHandler()
    {
        var sockets = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            // S3 answers some errors with redirects the SDK must see, not follow.
            AllowAutoRedirect = false,
            AutomaticDecompression = System.Net.DecompressionMethods.None,
        };
        return WrapHandler is { } wrap ? wrap(sockets) : sockets;
    }
}
