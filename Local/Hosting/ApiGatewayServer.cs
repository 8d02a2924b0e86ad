using System.Globalization;
using System.Net;
using System.Text;
using Jobs.Producer.Api;
using Jobs.Shared.Lambda;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Jobs.Local.Hosting;

/// <summary>
/// Serves the Producer on Kestrel the way API Gateway's HTTP API does: each request becomes a
/// payload-format 2.0 event (lower-case headers, comma-joined repeats, base64 for binary bodies)
/// and the handler's structured answer becomes the HTTP response.
/// </summary>
public sealed class ApiGatewayServer : IAsyncDisposable
{
    /// <summary>API Gateway's integration timeout.</summary>
    private static readonly TimeSpan IntegrationTimeout = TimeSpan.FromSeconds(30);

    private readonly WebApplication _app;

    private ApiGatewayServer(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");

    public static async Task<ApiGatewayServer> StartAsync(int port, ApiFunction function, TimeProvider time)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddSingleton<IHostLifetime, EmbeddedHostLifetime>();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        app.Run(async context =>
        {
            if (await ConsoleFiles.TryServeAsync(context).ConfigureAwait(false))
            {
                return;
            }

            var request = await ToEventAsync(context, time).ConfigureAwait(false);
            var lambda = new LambdaContext(request.RequestContext.RequestId!, time.GetUtcNow() + IntegrationTimeout, null, null);
            var response = await function.HandleAsync(request, lambda, context.RequestAborted).ConfigureAwait(false);
            await WriteAsync(context, response).ConfigureAwait(false);
        });
        await app.StartAsync().ConfigureAwait(false);
        return new ApiGatewayServer(app, port);
    }

    /// <summary>The header a local caller names its IAM principal with (API Gateway would take it from the SigV4 signature).</summary>
    public const string PrincipalHeader = "x-local-principal";

    private static bool IsUtf8(byte[] bytes)
    {
        try
        {
            _ = StrictUtf8.GetCharCount(bytes);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static async Task<HttpApiRequest> ToEventAsync(HttpContext context, TimeProvider time)
    {
        var http = context.Request;
        using var buffer = new MemoryStream();
        await http.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
        var bytes = buffer.ToArray();
        // Text goes as a string, anything else (bytes that are not UTF-8 included) base64-encoded,
        // so the function sees exactly the bytes that were sent and never a silently repaired text.
        var isText = (http.ContentType is null || http.ContentType.Contains("json", StringComparison.OrdinalIgnoreCase) || http.ContentType.StartsWith("text/", StringComparison.OrdinalIgnoreCase))
            && IsUtf8(bytes);
        var now = time.GetUtcNow();
        return new HttpApiRequest
        {
            RawPath = http.Path.HasValue ? http.Path.Value! : "/",
            RawQueryString = http.QueryString.HasValue ? http.QueryString.Value![1..] : string.Empty,
            Headers = http.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => string.Join(',', h.Value.ToArray())),
            QueryStringParameters = http.Query.Count == 0 ? null : http.Query.ToDictionary(q => q.Key, q => string.Join(',', q.Value.ToArray())),
            Body = bytes.Length == 0 ? null : isText ? Encoding.UTF8.GetString(bytes) : Convert.ToBase64String(bytes),
            IsBase64Encoded = bytes.Length > 0 && !isText,
            RequestContext = new HttpApiRequestContext
            {
                AccountId = "000000000000",
                ApiId = "local",
                DomainName = http.Host.Value,
                RequestId = Guid.NewGuid().ToString(),
                RouteKey = "$default",
                Stage = "$default",
                Time = now.ToString("dd/MMM/yyyy:HH:mm:ss +0000", CultureInfo.InvariantCulture),
                TimeEpoch = now.ToUnixTimeMilliseconds(),
                // API Gateway's IAM authorization names the signer here; locally the caller names
                // itself with this header (the local stack checks no signature), or stays anonymous.
                Authorizer = http.Headers.TryGetValue(PrincipalHeader, out var principal) && principal.ToString() is { Length: > 0 } arn
                    ? new HttpApiAuthorizer { Iam = new HttpApiIamIdentity { AccountId = "000000000000", UserArn = arn } }
                    : null,
                Http = new HttpApiRequestHttp
                {
                    Method = http.Method,
                    Path = http.Path.HasValue ? http.Path.Value! : "/",
                    Protocol = http.Protocol,
                    SourceIp = context.Connection.RemoteIpAddress?.ToString(),
                    UserAgent = http.Headers.UserAgent.ToString(),
                },
            },
        };
    }

    private static async Task WriteAsync(HttpContext context, HttpApiResponse response)
    {
        context.Response.StatusCode = response.StatusCode;
        foreach (var header in response.Headers ?? new Dictionary<string, string>())
        {
            context.Response.Headers[header.Key] = header.Value;
        }

        if (response.Body is { } body)
        {
            var bytes = response.IsBase64Encoded ? Convert.FromBase64String(body) : Encoding.UTF8.GetBytes(body);
            await context.Response.Body.WriteAsync(bytes, context.RequestAborted).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
