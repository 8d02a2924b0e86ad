using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Threading.Channels;
using Jobs.Local.Cli;
using Jobs.Local.Emulators;
using Jobs.Local.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Jobs.Local.Receiver;

/// <summary>
/// An example HTTPS subscriber of the notices topic: it confirms its subscription by visiting the
/// SubscribeURL SNS sends, verifies every message's signature before believing it, and answers
/// 403 to anything SNS did not sign. A real receiver would do its own work where this one queues
/// the notice for <see cref="Notices"/>.
/// </summary>
public sealed class SnsReceiverServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Channel<ReceivedNotice> _notices = Channel.CreateUnbounded<ReceivedNotice>();

    private SnsReceiverServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>The endpoint to subscribe.</summary>
    public Uri Address { get; }

    /// <summary>Verified notices, in the order they arrived.</summary>
    public ChannelReader<ReceivedNotice> Notices => _notices.Reader;

    /// <summary>Subscriptions this receiver confirmed (their topic ARNs).</summary>
    public IReadOnlyCollection<string> Confirmed => _confirmed;

    /// <summary>Messages refused because SNS did not sign them as they arrived.</summary>
    public int Refused => _refused;

    private readonly List<string> _confirmed = [];
    private int _refused;

    /// <param name="port">Port on 127.0.0.1; 0 picks a free one.</param>
    /// <param name="certificate">Serve HTTPS with this certificate (SNS delivers only to a certificate a public CA signed); HTTP without.</param>
    /// <param name="verifier">Decides which signing certificates to trust.</param>
    /// <param name="http">Visits SubscribeURLs.</param>
    public static async Task<SnsReceiverServer> StartAsync(int port, X509Certificate2? certificate, SnsMessageVerifier verifier, HttpClient http)
    {
        ArgumentNullException.ThrowIfNull(verifier);
        ArgumentNullException.ThrowIfNull(http);
        port = port == 0 ? FreePort.Next() : port;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddSingleton<IHostLifetime, EmbeddedHostLifetime>();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port, listen =>
        {
            if (certificate is not null)
            {
                listen.UseHttps(certificate);
            }
        }));
        var app = builder.Build();
        var server = new SnsReceiverServer(app, new Uri($"{(certificate is null ? "http" : "https")}://127.0.0.1:{port}/"));
        app.MapPost("/", context => server.HandleAsync(context, verifier, http));
        await app.StartAsync().ConfigureAwait(false);
        return server;
    }

    private async Task HandleAsync(HttpContext context, SnsMessageVerifier verifier, HttpClient http)
    {
        using var body = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false);
        var message = body.RootElement;
        if (!await verifier.VerifyAsync(message, context.RequestAborted).ConfigureAwait(false))
        {
            Interlocked.Increment(ref _refused);
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }

        switch (message.GetProperty("Type").GetString())
        {
            case "SubscriptionConfirmation":
                // Only a URL of SNS's own; the signature already covers it.
                var subscribe = new Uri(message.GetProperty("SubscribeURL").GetString()!);
                if (!verifier.IsTrustedSnsUrl(subscribe))
                {
                    context.Response.StatusCode = StatusCodes.Status403Forbidden;
                    return;
                }

                using (var confirmed = await http.GetAsync(subscribe, context.RequestAborted).ConfigureAwait(false))
                {
                    confirmed.EnsureSuccessStatusCode();
                }

                lock (_confirmed)
                {
                    _confirmed.Add(message.GetProperty("TopicArn").GetString()!);
                }

                break;
            case "Notification":
                await _notices.Writer.WriteAsync(ReceivedNotice.Parse(message.GetRawText()), context.RequestAborted).ConfigureAwait(false);
                break;
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
    }

    public async ValueTask DisposeAsync()
    {
        _notices.Writer.TryComplete();
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
