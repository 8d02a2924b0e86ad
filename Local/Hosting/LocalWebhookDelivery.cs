using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.SQS;
using Amazon.SQS.Model;
using Jobs.Local.Emulators;
using Jobs.Local.Receiver;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Jobs.Local.Hosting;

/// <summary>
/// SNS's HTTP/S delivery, which fauxqs does not do: for each webhook the stack subscribes a queue
/// of its own to the topic and posts what arrives there to the endpoint as SNS would (a signed
/// SubscriptionConfirmation first, notifications only once it is confirmed, the per-protocol
/// message of a MessageStructure=json publish, SNS's headers, redelivery until a 2xx). Messages are
/// signed (SignatureVersion 2) with a key made at start whose certificate it serves at
/// <see cref="SigningBaseAddress"/>; a receiver trusts that address locally where it would trust
/// <c>sns.&lt;region&gt;.amazonaws.com</c> on AWS.
/// </summary>
public sealed class LocalWebhookDelivery : IAsyncDisposable
{
    private const string CertificatePath = "/SimpleNotificationService-local.pem";
    private readonly WebApplication _app;
    private readonly RSA _key = RSA.Create(2048);
    private readonly string _certificatePem;
    private readonly HttpClient _http;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];
    private readonly Dictionary<string, TaskCompletionSource> _pending = new(StringComparer.Ordinal);

    private LocalWebhookDelivery(WebApplication app, Uri signingBaseAddress)
    {
        _app = app;
        SigningBaseAddress = signingBaseAddress;
        var request = new CertificateRequest("CN=sns.local", _key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        _certificatePem = certificate.ExportCertificatePem();
        // Local receivers serve self-made certificates; SNS would insist on a public CA's.
        _http = new HttpClient(new SocketsHttpHandler { SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true } }) { Timeout = TimeSpan.FromSeconds(15) };
    }

    /// <summary>Where the signing certificate and the confirmation URLs are served: the local stand-in for SNS's own host.</summary>
    public Uri SigningBaseAddress { get; }

    /// <summary>A verifier that trusts this stack's signing certificate and nothing else.</summary>
    public bool IsSigningUrl(Uri url) => url.GetLeftPart(UriPartial.Authority) + "/" == SigningBaseAddress.ToString();

    public static async Task<LocalWebhookDelivery> StartAsync()
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddSingleton<IHostLifetime, EmbeddedHostLifetime>();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        var delivery = new LocalWebhookDelivery(app, new Uri($"http://127.0.0.1:{port}/"));
        app.MapGet(CertificatePath, () => Results.Text(delivery._certificatePem, "application/x-pem-file"));
        app.MapGet("/confirm", (string token) =>
        {
            lock (delivery._pending)
            {
                if (!delivery._pending.TryGetValue(token, out var confirmed))
                {
                    return Results.NotFound();
                }

                confirmed.TrySetResult();
            }

            return Results.Text("<ConfirmSubscriptionResponse/>", "text/xml");
        });
        await app.StartAsync().ConfigureAwait(false);
        return delivery;
    }

    /// <summary>Subscribes <paramref name="endpoint"/> to the topic through a queue of its own and starts delivering.</summary>
    /// <returns>Completes when the endpoint has confirmed the subscription.</returns>
    public async Task<Task> SubscribeAsync(Uri endpoint, string topicArn, IAmazonSQS sqs, LocalSnsAdmin sns, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(sqs);
        ArgumentNullException.ThrowIfNull(sns);
        var queueUrl = (await sqs.CreateQueueAsync(new CreateQueueRequest
        {
            QueueName = $"job-events-webhook-{Guid.NewGuid():N}",
            // A failed post is tried again after this.
            Attributes = new() { ["VisibilityTimeout"] = "2" },
        }, cancellationToken).ConfigureAwait(false)).QueueUrl;
        var queueArn = (await sqs.GetQueueAttributesAsync(queueUrl, ["QueueArn"], cancellationToken).ConfigureAwait(false)).QueueARN;
        var subscriptionArn = await sns.SubscribeQueueAsync(topicArn, queueArn, cancellationToken).ConfigureAwait(false);
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var confirmed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_pending)
        {
            _pending[token] = confirmed;
        }

        _loops.Add(DeliverAsync(endpoint, topicArn, subscriptionArn, token, confirmed.Task, queueUrl, sqs));
        return confirmed.Task;
    }

    private async Task DeliverAsync(Uri endpoint, string topicArn, string subscriptionArn, string token, Task confirmed, string queueUrl, IAmazonSQS sqs)
    {
        var stop = _stop.Token;
        try
        {
            // SNS sends the confirmation, and sends it again for a while until it is visited.
            while (!confirmed.IsCompleted)
            {
                var confirmation = new JsonObject
                {
                    ["Type"] = "SubscriptionConfirmation",
                    ["MessageId"] = Guid.NewGuid().ToString(),
                    ["Token"] = token,
                    ["TopicArn"] = topicArn,
                    ["Message"] = $"You have chosen to subscribe to the topic {topicArn}.\nTo confirm the subscription, visit the SubscribeURL included in this message.",
                    ["SubscribeURL"] = new Uri(SigningBaseAddress, $"confirm?token={token}").ToString(),
                    ["Timestamp"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture),
                };
                await PostAsync(endpoint, confirmation, subscriptionArn: null, stop).ConfigureAwait(false);
                await Task.WhenAny(confirmed, Task.Delay(TimeSpan.FromSeconds(1), stop)).ConfigureAwait(false);
            }

            while (!stop.IsCancellationRequested)
            {
                var received = await sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = queueUrl, MaxNumberOfMessages = 10, WaitTimeSeconds = 1 }, stop).ConfigureAwait(false);
                foreach (var message in received.Messages ?? [])
                {
                    var notification = JsonNode.Parse(message.Body)!.AsObject();
                    notification["Message"] = ForHttps(notification["Message"]!.GetValue<string>());
                    notification["UnsubscribeURL"] = new Uri(SigningBaseAddress, $"unsubscribe?subscription={Uri.EscapeDataString(subscriptionArn)}").ToString();
                    notification.Remove("Signature");
                    notification.Remove("SignatureVersion");
                    notification.Remove("SigningCertURL");
                    if (await PostAsync(endpoint, notification, subscriptionArn, stop).ConfigureAwait(false))
                    {
                        await sqs.DeleteMessageAsync(queueUrl, message.ReceiptHandle, stop).ConfigureAwait(false);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    /// <summary>A MessageStructure=json publish carries one message per protocol: HTTPS subscribers get "https", else "default".</summary>
    private static string ForHttps(string message)
    {
        try
        {
            if (JsonNode.Parse(message) is JsonObject perProtocol && perProtocol["default"] is JsonValue fallback && perProtocol["eventId"] is null)
            {
                return (perProtocol["https"] ?? fallback).GetValue<string>();
            }
        }
        catch (JsonException)
        {
        }

        return message;
    }

    private async Task<bool> PostAsync(Uri endpoint, JsonObject message, string? subscriptionArn, CancellationToken cancellationToken)
    {
        message["SignatureVersion"] = "2";
        message["SigningCertURL"] = new Uri(SigningBaseAddress, CertificatePath).ToString();
        var canonical = SnsMessageVerifier.CanonicalString(JsonDocument.Parse(message.ToJsonString()).RootElement)!;
        message["Signature"] = Convert.ToBase64String(_key.SignData(Encoding.UTF8.GetBytes(canonical), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new StringContent(message.ToJsonString(), Encoding.UTF8, "text/plain") };
        request.Headers.Add("x-amz-sns-message-type", message["Type"]!.GetValue<string>());
        request.Headers.Add("x-amz-sns-message-id", message["MessageId"]!.GetValue<string>());
        request.Headers.Add("x-amz-sns-topic-arn", message["TopicArn"]!.GetValue<string>());
        if (subscriptionArn is not null)
        {
            request.Headers.Add("x-amz-sns-subscription-arn", subscriptionArn);
        }

        try
        {
            using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            return response.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_loops).ConfigureAwait(false);
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _http.Dispose();
        _key.Dispose();
        _stop.Dispose();
    }
}
