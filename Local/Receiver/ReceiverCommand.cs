using System.CommandLine;
using System.Runtime.InteropServices;
using System.Security.Cryptography.X509Certificates;
using Spectre.Console;

namespace Jobs.Local.Receiver;

/// <summary>
/// <c>receiver</c>: the example HTTPS subscriber, printing each notice it has verified. On AWS it
/// trusts only SNS's certificates; against the local stack, pass the signer address the stack printed.
/// </summary>
public static class ReceiverCommand
{
    public static Command Build()
    {
        var port = new Option<int>("--port") { Description = "Port on 127.0.0.1 (0 picks a free one).", DefaultValueFactory = _ => 8443 };
        var certificate = new Option<FileInfo?>("--certificate") { Description = "A PKCS#12 (.pfx) certificate to serve HTTPS with; plain HTTP without (put TLS in front)." };
        var password = new Option<string?>("--certificate-password") { Description = "The .pfx file's password." };
        var trustSigner = new Option<string?>("--trust-signer") { Description = "Also trust signing certificates served from this address (the local stack's, e.g. http://127.0.0.1:PORT/). Never on AWS." };
        var command = new Command("receiver", "Run an example SNS HTTP/S subscriber: it confirms its subscription, verifies every message's signature and prints each notice.")
        {
            port, certificate, password, trustSigner,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var http = new HttpClient();
            var extra = parse.GetValue(trustSigner) is { } signer ? new Uri(signer) : null;
            var verifier = new SnsMessageVerifier(http, url => SnsMessageVerifier.IsSnsCertificateUrl(url)
                || (extra is not null && url.GetLeftPart(UriPartial.Authority) == extra.GetLeftPart(UriPartial.Authority)));
            using var served = parse.GetValue(certificate) is { } file ? X509CertificateLoader.LoadPkcs12FromFile(file.FullName, parse.GetValue(password)) : null;
            await using var receiver = await SnsReceiverServer.StartAsync(parse.GetValue(port), served, verifier, http).ConfigureAwait(false);
            AnsiConsole.MarkupLine($"Listening on [bold]{receiver.Address}[/]; subscribe it to the topic (Ctrl+C stops).");

            using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, s => { s.Cancel = true; stopping.Cancel(); });
            using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, s => { s.Cancel = true; stopping.Cancel(); });
            try
            {
                await foreach (var notice in receiver.Notices.ReadAllAsync(stopping.Token).ConfigureAwait(false))
                {
                    AnsiConsole.MarkupLine($"[green]verified[/] {Markup.Escape(notice.Type)} for job {Markup.Escape(notice.JobId)}");
                    AnsiConsole.WriteLine(notice.PrettyNotice);
                }
            }
            catch (OperationCanceledException)
            {
            }

            return 0;
        });
        return command;
    }
}
