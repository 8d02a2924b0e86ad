using System.Net;

namespace Jobs.Tests.Support;

/// <summary>
/// Records the request exactly as it would go on the wire and answers with a canned response.
/// Used only for Bedrock's public endpoint and for fixed signing vectors, which have no local peer.
/// </summary>
public sealed class CapturingHandler(Func<HttpRequestMessage, HttpResponseMessage>? answer = null) : HttpMessageHandler
{
    public HttpRequestMessage? Request { get; private set; }

    public byte[] Body { get; private set; } = [];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Request = request;
        Body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        return answer?.Invoke(request) ?? new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("{}") };
    }
}
