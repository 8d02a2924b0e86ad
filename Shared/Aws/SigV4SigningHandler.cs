using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Signing;

namespace Jobs.Shared.Aws;

/// <summary>
/// Signs outgoing requests of the hand-written AWS clients with AWSSDK.Core's
/// <see cref="AWSSigV4Signer"/>. The SDK ships a similar handler; this one takes its clock from a
/// <see cref="TimeProvider"/> so tests can check signatures against fixed reference vectors, and
/// resolves credentials per request so rotating Lambda credentials are always current.
/// </summary>
public sealed class SigV4SigningHandler(
    string signingName,
    RegionEndpoint region,
    Func<AWSCredentials> credentials,
    TimeProvider time,
    HttpMessageHandler inner) : DelegatingHandler(inner)
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var signing = new AWSSigningRequest
        {
            HttpMethod = request.Method,
            RequestUri = request.RequestUri,
            Content = body,
        };
        foreach (var header in request.Headers)
        {
            signing.Headers[header.Key.ToLowerInvariant()] = string.Join(",", header.Value);
        }

        if (request.Content?.Headers.ContentType is { } contentType)
        {
            signing.Headers["content-type"] = contentType.ToString();
        }

        var signed = await AWSSigV4Signer.SignAsync(signing, new AWSSigV4Parameters
        {
            Credentials = credentials(),
            Region = region,
            Service = signingName,
            SignPayload = true,
            SignedAt = time.GetUtcNow().UtcDateTime,
        }, cancellationToken).ConfigureAwait(false);
        foreach (var header in signed.Headers)
        {
            request.Headers.Remove(header.Key);
            request.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}
