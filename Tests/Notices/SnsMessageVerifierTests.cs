using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Jobs.Local.Receiver;

namespace Jobs.Tests.Notices;

/// <summary>
/// The example receiver's signature check, on messages in the shapes AWS documents for HTTP/S
/// subscribers, signed here with a key of the test's own in place of SNS's.
/// </summary>
public sealed class SnsMessageVerifierTests
{
    private const string CertificateUrl = "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-test.pem";
    private static readonly RSA Key = RSA.Create(2048);
    private static readonly string CertificatePem = CreatePem();

    [OneTimeTearDown]
    public static void DisposeKey() => Key.Dispose();

    private static string CreatePem()
    {
        using var certificate = new CertificateRequest("CN=sns.amazonaws.com", Key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return certificate.ExportCertificatePem();
    }

    /// <summary>Answers the certificate URL with the test's certificate and counts the downloads.</summary>
    private sealed class CertificateHost : HttpMessageHandler
    {
        public int Downloads { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Downloads++;
            return Task.FromResult(request.RequestUri!.ToString() == CertificateUrl
                ? new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(CertificatePem) }
                : new HttpResponseMessage(HttpStatusCode.NotFound));
        }
    }

    private static JsonObject Notification(string? subject) => new()
    {
        ["Type"] = "Notification",
        ["MessageId"] = "22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324",
        ["TopicArn"] = "arn:aws:sns:us-east-1:123456789012:job-events",
        ["Subject"] = subject,
        ["Message"] = "{\"type\":\"job.succeeded\",\"jobId\":\"01a2\"}",
        ["Timestamp"] = "2026-12-01T12:00:00.000Z",
        ["SigningCertURL"] = CertificateUrl,
    };

    private static JsonElement Signed(JsonObject message, string version = "2")
    {
        if (message["Subject"] is null)
        {
            message.Remove("Subject");
        }

        message["SignatureVersion"] = version;
        var canonical = SnsMessageVerifier.CanonicalString(JsonDocument.Parse(message.ToJsonString()).RootElement)!;
        message["Signature"] = Convert.ToBase64String(Key.SignData(Encoding.UTF8.GetBytes(canonical), version == "1" ? HashAlgorithmName.SHA1 : HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        return JsonDocument.Parse(message.ToJsonString()).RootElement;
    }

    [TestCase("1", "Job succeeded", TestName = "Version 1 (SHA1withRSA) with a subject")]
    [TestCase("2", null, TestName = "Version 2 (SHA256withRSA) without a subject")]
    public async Task A_message_signed_by_the_certificate_at_an_SNS_URL_verifies(string version, string? subject)
    {
        using var host = new CertificateHost();
        var verifier = new SnsMessageVerifier(new HttpClient(host));

        Assert.That(await verifier.VerifyAsync(Signed(Notification(subject), version), CancellationToken.None), Is.True);
        Assert.That(await verifier.VerifyAsync(Signed(Notification(subject), version), CancellationToken.None), Is.True);
        Assert.That(host.Downloads, Is.EqualTo(1), "the certificate is fetched once");
    }

    [Test]
    public async Task A_message_altered_after_signing_or_signed_under_an_untrusted_URL_is_refused()
    {
        var verifier = new SnsMessageVerifier(new HttpClient(new CertificateHost()));
        var altered = JsonNode.Parse(Signed(Notification("Job succeeded")).GetRawText())!.AsObject();
        altered["Message"] = "{\"type\":\"job.succeeded\",\"jobId\":\"someone-elses\"}";
        var elsewhere = Notification(null);
        elsewhere["SigningCertURL"] = "https://sns.us-east-1.amazonaws.com.attacker.example/cert.pem";
        var confirmation = new JsonObject
        {
            ["Type"] = "SubscriptionConfirmation",
            ["MessageId"] = "165545c9-2a5c-472c-8df2-7ff2be2b3b1b",
            ["Token"] = "2336412f37",
            ["TopicArn"] = "arn:aws:sns:us-east-1:123456789012:job-events",
            ["Message"] = "You have chosen to subscribe to the topic arn:aws:sns:us-east-1:123456789012:job-events.",
            ["SubscribeURL"] = "https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=arn:aws:sns:us-east-1:123456789012:job-events&Token=2336412f37",
            ["Timestamp"] = "2026-12-01T12:00:00.000Z",
            ["SigningCertURL"] = CertificateUrl,
        };
        var confirmationSigned = JsonNode.Parse(Signed(confirmation).GetRawText())!.AsObject();
        confirmationSigned["SubscribeURL"] = "https://attacker.example/confirm";

        Assert.That(await verifier.VerifyAsync(JsonDocument.Parse(altered.ToJsonString()).RootElement, CancellationToken.None), Is.False);
        Assert.That(await verifier.VerifyAsync(Signed(elsewhere), CancellationToken.None), Is.False);
        Assert.That(await verifier.VerifyAsync(Signed(JsonNode.Parse(confirmation.ToJsonString())!.AsObject()), CancellationToken.None), Is.True);
        Assert.That(await verifier.VerifyAsync(JsonDocument.Parse(confirmationSigned.ToJsonString()).RootElement, CancellationToken.None), Is.False, "the SubscribeURL is signed too");
    }

    [Test]
    public void The_string_to_sign_is_each_field_name_and_value_on_its_own_line_in_AWSs_order()
    {
        var canonical = SnsMessageVerifier.CanonicalString(JsonDocument.Parse(Notification("Job succeeded").ToJsonString()).RootElement);

        Assert.That(canonical, Is.EqualTo(
            "Message\n{\"type\":\"job.succeeded\",\"jobId\":\"01a2\"}\nMessageId\n22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324\n" +
            "Subject\nJob succeeded\nTimestamp\n2026-12-01T12:00:00.000Z\nTopicArn\narn:aws:sns:us-east-1:123456789012:job-events\nType\nNotification\n"));
    }

    [TestCase("https://sns.us-east-1.amazonaws.com/SimpleNotificationService-1.pem", true)]
    [TestCase("https://sns.cn-north-1.amazonaws.com.cn/SimpleNotificationService-1.pem", true)]
    [TestCase("http://sns.us-east-1.amazonaws.com/SimpleNotificationService-1.pem", false)]
    [TestCase("https://sns.us-east-1.amazonaws.com.attacker.example/x.pem", false)]
    [TestCase("https://attacker.example/sns.us-east-1.amazonaws.com/x.pem", false)]
    [TestCase("https://sns.us-east-1.amazonaws.com:8443/SimpleNotificationService-1.pem", false)]
    [TestCase("https://s3.us-east-1.amazonaws.com/SimpleNotificationService-1.pem", false)]
    public void Only_SNS_hosts_over_HTTPS_serve_signing_certificates(string url, bool trusted)
    {
        Assert.That(SnsMessageVerifier.IsSnsCertificateUrl(new Uri(url)), Is.EqualTo(trusted));
    }
}
