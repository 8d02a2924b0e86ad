using Microsoft.AspNetCore.Http;

namespace Jobs.Local.Hosting;

/// <summary>
/// Serves the web console (Local/Console) beside the API, on the API's port: <c>/</c> is its page,
/// <c>/console/*</c> its script, styles and <c>config.json</c>. On AWS the same files sit in S3
/// behind CloudFront; here the API is the same origin, so the config names no API URL and no sign-in.
/// </summary>
public static class ConsoleFiles
{
    private static readonly string Root = Path.Combine(AppContext.BaseDirectory, "Console");

    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.Ordinal)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
    };

    /// <summary>Answers a request for a console file; false when the path is the API's.</summary>
    public static async Task<bool> TryServeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
        {
            return false;
        }

        var path = request.Path.Value ?? "/";
        if (path == "/console/config.json")
        {
            await WriteAsync(context, "application/json", """{"apiUrl":""}"""u8.ToArray()).ConfigureAwait(false);
            return true;
        }

        var name = path switch
        {
            "/" => "index.html",
            "/console/app.js" => "app.js",
            "/console/app.css" => "app.css",
            _ => null,
        };
        if (name is null)
        {
            return false;
        }

        await WriteAsync(context, ContentTypes[Path.GetExtension(name)], await File.ReadAllBytesAsync(Path.Combine(Root, name), context.RequestAborted).ConfigureAwait(false)).ConfigureAwait(false);
        return true;
    }

    private static async Task WriteAsync(HttpContext context, string contentType, byte[] body)
    {
        var response = context.Response;
        response.ContentType = contentType;
        response.ContentLength = body.Length;
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Content-Type-Options"] = "nosniff";
        response.Headers["Content-Security-Policy"] = "default-src 'self'; img-src 'self' http: https: data:; connect-src 'self' http: https:; frame-ancestors 'none'";
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
        }
    }
}
