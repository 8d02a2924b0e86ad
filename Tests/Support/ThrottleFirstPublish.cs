using System.Net;
using System.Runtime.CompilerServices;
using System.Text;

namespace Jobs.Tests.Support;

/// <summary>
/// In front of the local SNS, answers the first Publish with SNS's <c>Throttling</c> error (400,
/// the Query API's XML error document), then lets every call through. Every client's handler shares
/// one <paramref name="count"/>, so "first" means first of all.
/// </summary>
public sealed class ThrottleFirstPublish(HttpMessageHandler inner, StrongBox<int> count) : DelegatingHandler(inner)
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var isPublish = request.Content is not null && (await request.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)).Contains("Action=Publish", StringComparison.Ordinal);
        if (isPublish && Interlocked.CompareExchange(ref count.Value, 1, 0) == 0)
        {
            return new HttpResponseMessage(HttpStatusCode.BadRequest)
            {
                RequestMessage = request,
                Content = new StringContent(
                    "<ErrorResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>0</RequestId></ErrorResponse>",
                    Encoding.UTF8,
                    "text/xml"),
            };
        }

        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}
