using System.Net;
using System.Text;
using Amazon;
using Amazon.Runtime;
using Jobs.Shared.Aws;
using Jobs.Consumer.Bedrock;
using Jobs.Consumer.Notices;
using Jobs.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Jobs.Tests.Aws;

/// <summary>
/// The two hand-written clients sign exactly as AWS checks, per the reference signatures in
/// shared/reference/sigv4-vectors.md (AWS's example keys, a fixed time, us-west-2).
/// </summary>
public sealed class SigV4ReferenceVectorTests
{
    private static readonly FakeTimeProvider SigningTime = new(new DateTimeOffset(2026, 1, 15, 12, 30, 0, TimeSpan.Zero));

    private static HttpClient Client(string service, string host, CapturingHandler capture) =>
        new(new SigV4SigningHandler(
            service,
            RegionEndpoint.USWest2,
            () => new BasicAWSCredentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
            SigningTime,
            capture))
        {
            BaseAddress = new Uri($"https://{host}/"),
        };

    [Test]
    public async Task Bedrock_InvokeModel_for_a_model_id_with_a_colon_matches_the_reference()
    {
        var capture = new CapturingHandler(_ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("{}") });
        using var http = Client("bedrock", "bedrock-runtime.us-west-2.amazonaws.com", capture);
        var client = new BedrockRuntimeClient(http, new BedrockOptions());

        await client.InvokeModelAsync(
            "stability.sd3-5-large-v1:0",
            Encoding.UTF8.GetBytes("{\"prompt\":\"a lighthouse in a storm\",\"aspect_ratio\":\"1:1\",\"seed\":42,\"output_format\":\"png\"}"),
            CancellationToken.None);

        var request = capture.Request!;
        Assert.That(request.RequestUri!.AbsoluteUri, Is.EqualTo("https://bedrock-runtime.us-west-2.amazonaws.com/model/stability.sd3-5-large-v1%3A0/invoke"));
        Assert.That(request.Headers.GetValues("Authorization").Single(), Is.EqualTo(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260115/us-west-2/bedrock/aws4_request, " +
            "SignedHeaders=accept;content-type;host;x-amz-content-sha256;x-amz-date, " +
            "Signature=3b03b4cfaf03ff7d1d9da9cb694f7a6a7469de6c9803f28265b4558c900557fd"));
        Assert.That(request.Headers.GetValues("x-amz-content-sha256").Single(), Is.EqualTo("e0e42ea5793734c0aa3648459f0b1cd864e8e8ab82ef04bcb2fe94ea42aa57f0"));
    }

    [Test]
    public async Task SNS_Publish_matches_the_reference()
    {
        var capture = new CapturingHandler();
        using var http = Client("sns", "sns.us-west-2.amazonaws.com", capture);
        var events = new SnsJobEvents(http, new JobEventsOptions { TopicArn = "arn:aws:sns:us-west-2:123456789012:job-events" }, TimeProvider.System);
        using var request = events.BuildRequest(
        [
            new("Action", "Publish"),
            new("Version", "2010-03-31"),
            new("TopicArn", "arn:aws:sns:us-west-2:123456789012:job-events"),
            new("Message", "{\"type\":\"job.succeeded\"}"),
        ]);

        using var response = await http.SendAsync(request);

        Assert.That(Encoding.UTF8.GetString(capture.Body), Is.EqualTo(
            "Action=Publish&Version=2010-03-31&TopicArn=arn%3Aaws%3Asns%3Aus-west-2%3A123456789012%3Ajob-events&Message=%7B%22type%22%3A%22job.succeeded%22%7D"));
        Assert.That(capture.Request!.Headers.GetValues("Authorization").Single(), Is.EqualTo(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260115/us-west-2/sns/aws4_request, " +
            "SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date, " +
            "Signature=0f244f4e2f25168d29ecadccb216f6fdf7a2587f795bb2f0b02b6cb443fe2e77"));
    }
}
