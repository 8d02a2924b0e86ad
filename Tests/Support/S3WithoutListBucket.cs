using System.Net;
using System.Text;

namespace Jobs.Tests.Support;

/// <summary>
/// In front of the local S3, answers as AWS S3 does a role that has <c>s3:GetObject</c> but not
/// <c>s3:ListBucket</c>: a read of a missing key is <c>403 AccessDenied</c>, not <c>404</c>
/// (documented on HeadObject and GetObject). fauxqs enforces no IAM, so without this no local
/// test could meet that answer.
/// </summary>
public sealed class S3WithoutListBucket(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var isS3 = request.Headers.TryGetValues("Authorization", out var auth) && auth.Any(a => a.Contains("/s3/aws4_request", StringComparison.Ordinal));
        if (!isS3 || response.StatusCode != HttpStatusCode.NotFound || (request.Method != HttpMethod.Head && request.Method != HttpMethod.Get))
        {
            return response;
        }

        response.Dispose();
        var denied = new HttpResponseMessage(HttpStatusCode.Forbidden) { RequestMessage = request };
        if (request.Method == HttpMethod.Get)
        {
            denied.Content = new StringContent(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>",
                Encoding.UTF8,
                "application/xml");
        }

        return denied;
    }
}
