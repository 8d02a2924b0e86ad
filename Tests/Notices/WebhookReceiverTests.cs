using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Jobs.Local.Cli;
using Jobs.Local.Receiver;
using Jobs.Tests.Support;

namespace Jobs.Tests.Notices;

/// <summary>
/// The example HTTPS receiver against the local stack's notices: it confirms its subscription,
/// takes the job's notice only after checking its signature, and refuses a forged one.
/// </summary>
public sealed class WebhookReceiverTests
{
    [Test]
    public async Task The_receiver_confirms_its_subscription_verifies_a_jobs_notice_and_refuses_a_forgery()
    {
        var stack = await TestStack.GetAsync();
        using var api = new ApiCalls(stack);
        using var tls = SelfSignedTlsCertificate();
        using var http = new HttpClient();
        var trusted = new List<Uri>();
        var verifier = new SnsMessageVerifier(http, url => trusted.Any(t => t.GetLeftPart(UriPartial.Authority) == url.GetLeftPart(UriPartial.Authority)));
        await using var receiver = await SnsReceiverServer.StartAsync(0, tls, verifier, http);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var (delivery, confirmed) = await stack.SubscribeWebhookAsync(receiver.Address, timeout.Token);
        trusted.Add(delivery.SigningBaseAddress);
        await confirmed.WaitAsync(timeout.Token);
        var job = await api.SubmitAsync("webhook " + Guid.NewGuid().ToString("N")[..8]);
        ReceivedNotice notice;
        do
        {
            notice = await receiver.Notices.ReadAsync(timeout.Token);
        }
        while (notice.JobId != job.Id);

        Assert.That(receiver.Address.Scheme, Is.EqualTo("https"));
        Assert.That(receiver.Confirmed, Is.EqualTo(new[] { stack.TopicArn }));
        Assert.That(notice.Type, Is.EqualTo("job.succeeded"));
        Assert.That(notice.Notice["owner"]!.GetValue<string>(), Is.EqualTo("anonymous"));
        Assert.That(notice.Attributes["model"], Is.EqualTo(job.Model));

        // The same envelope with another job's id in it is not SNS's.
        var forged = JsonNode.Parse(notice.Envelope)!.AsObject();
        var forgedId = Guid.CreateVersion7().ToString();
        forged["Message"] = forged["Message"]!.GetValue<string>().Replace(job.Id, forgedId, StringComparison.Ordinal);
        using var insecure = new HttpClient(new SocketsHttpHandler { SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true } });
        using var refused = await insecure.PostAsync(receiver.Address, new StringContent(forged.ToJsonString(), Encoding.UTF8, "text/plain"), timeout.Token);
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(receiver.Refused, Is.EqualTo(1));
        var taken = new List<string>();
        while (receiver.Notices.TryRead(out var later))
        {
            taken.Add(later.JobId);
        }

        Assert.That(taken, Does.Not.Contain(forgedId), "the forgery was not taken");
    }

    private static X509Certificate2 SelfSignedTlsCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        // Kestrel needs the private key in a form the platform's TLS can use.
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }
}
