using System.Net;
using System.Text;

namespace Jobs.Tests.Support;

/// <summary>
/// In front of the local SQS, answers every SendMessage with SQS's own 500 <c>InternalFailure</c>,
/// as a bad minute of SQS would; every other call goes through.
/// </summary>
public sealed class FailingSqsSends(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!request.Headers.TryGetValues("X-Amz-Target", out var targets) || !targets.Contains("AmazonSQS.SendMessage"))
        {
            return base.SendAsync(request, cancellationToken);
        }

        var response = new HttpResponseMessage(HttpStatusCode.InternalServerError)
        {
            RequestMessage = request,
            Content = new StringContent("{\"__type\":\"com.amazon.coral.service#InternalFailure\",\"message\":\"We encountered an internal error. Please try again.\"}", Encoding.UTF8, "application/x-amz-json-1.0"),
        };
        response.Headers.TryAddWithoutValidation("x-amzn-query-error", "InternalFailure;Receiver");
        return Task.FromResult(response);
    }
}
