using System.Reflection;
using Jobs.Shared.Lambda;

namespace Jobs.Producer.Api;

/// <summary>
/// The API's OpenAPI 3.1 document (<c>Producer/Api/openapi.json</c>, embedded in the function), served
/// as written: the tests drive every route and hold each real answer to it, so the two cannot drift.
/// </summary>
public static class OpenApiDocument
{
    private static readonly Lazy<string> Text = new(() =>
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("openapi.json")
            ?? throw new InvalidOperationException("The OpenAPI document is not embedded in the Producer.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    /// <summary>The document's text.</summary>
    public static string Json => Text.Value;

    public static HttpApiResponse Response() => new()
    {
        StatusCode = 200,
        Headers = new Dictionary<string, string> { ["content-type"] = "application/json", ["cache-control"] = "max-age=300" },
        Body = Json,
    };
}
