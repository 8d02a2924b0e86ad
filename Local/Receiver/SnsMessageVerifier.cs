using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace Jobs.Local.Receiver;

/// <summary>
/// Checks that a message posted to an HTTP/S subscriber came from SNS, as AWS documents it: the
/// signing certificate's URL must be SNS's own (HTTPS, <c>sns.&lt;region&gt;.amazonaws.com</c>), and
/// the signature (SHA1withRSA for version 1, SHA256withRSA for version 2) must match the message's
/// canonical string, built from its fields in a fixed order. Anyone can POST to a webhook; without
/// this check anyone can fake a job's completion.
/// </summary>
public sealed class SnsMessageVerifier(HttpClient http, Func<Uri, bool>? trustedCertificateUrl = null)
{
    private readonly ConcurrentDictionary<Uri, Task<X509Certificate2>> _certificates = new();
    private readonly Func<Uri, bool> _trusted = trustedCertificateUrl ?? IsSnsCertificateUrl;

    /// <summary>SNS's certificate URLs: HTTPS from <c>sns.&lt;region&gt;.amazonaws.com</c> (or <c>.amazonaws.com.cn</c>), a <c>.pem</c> file.</summary>
    public static bool IsSnsCertificateUrl(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var host = url.Host.Split('.');
        return url.Scheme == Uri.UriSchemeHttps && url.IsDefaultPort && url.AbsolutePath.EndsWith(".pem", StringComparison.Ordinal)
            && host.Length is 4 or 5 && host[0] == "sns" && host[2] == "amazonaws" && host[3] == "com" && (host.Length == 4 || host[4] == "cn");
    }

    /// <summary>The URLs SNS sends to be visited (SubscribeURL) follow the same rule without the <c>.pem</c>.</summary>
    public bool IsTrustedSnsUrl(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return _trusted(new Uri(url.GetLeftPart(UriPartial.Authority) + "/x.pem"));
    }

    /// <summary>True when the message is signed by SNS and unaltered.</summary>
    public async Task<bool> VerifyAsync(JsonElement message, CancellationToken cancellationToken)
    {
        if (message.ValueKind != JsonValueKind.Object
            || Text(message, "SigningCertURL") is not { } certText || !Uri.TryCreate(certText, UriKind.Absolute, out var certUrl) || !_trusted(certUrl)
            || Text(message, "Signature") is not { } signatureText || CanonicalString(message) is not { } canonical)
        {
            return false;
        }

        var algorithm = Text(message, "SignatureVersion") switch
        {
            "1" => HashAlgorithmName.SHA1,
            "2" => HashAlgorithmName.SHA256,
            _ => default,
        };
        byte[] signature;
        try
        {
            signature = Convert.FromBase64String(signatureText);
        }
        catch (FormatException)
        {
            return false;
        }

        if (algorithm == default)
        {
            return false;
        }

        X509Certificate2 certificate;
        try
        {
            certificate = await _certificates.GetOrAdd(certUrl, url => LoadAsync(url, CancellationToken.None)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or CryptographicException or TaskCanceledException)
        {
            // Not cached: the next message tries the certificate again.
            _certificates.TryRemove(certUrl, out _);
            return false;
        }

        using var key = certificate.GetRSAPublicKey();
        return key is not null && key.VerifyData(Encoding.UTF8.GetBytes(canonical), signature, algorithm, RSASignaturePadding.Pkcs1);
    }

    /// <summary>
    /// The string SNS signs: each present field's name and value on lines of their own, in AWS's
    /// order; <c>Subject</c> only when the message has one. Null for a type SNS does not send.
    /// </summary>
    public static string? CanonicalString(JsonElement message)
    {
        string[]? fields = Text(message, "Type") switch
        {
            "Notification" => ["Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"],
            "SubscriptionConfirmation" or "UnsubscribeConfirmation" => ["Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"],
            _ => null,
        };
        if (fields is null)
        {
            return null;
        }

        var text = new StringBuilder();
        foreach (var field in fields)
        {
            if (Text(message, field) is { } value)
            {
                text.Append(field).Append('\n').Append(value).Append('\n');
            }
            else if (field != "Subject")
            {
                return null;
            }
        }

        return text.ToString();
    }

    private async Task<X509Certificate2> LoadAsync(Uri url, CancellationToken cancellationToken)
    {
        var pem = await http.GetStringAsync(url, cancellationToken).ConfigureAwait(false);
        return X509Certificate2.CreateFromPem(pem);
    }

    private static string? Text(JsonElement message, string name) =>
        message.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
