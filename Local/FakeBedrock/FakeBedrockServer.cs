using System.Net;
using System.Text.Json;
using Jobs.Shared.Bedrock;
using Jobs.Shared.Json;
using Jobs.Shared.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Jobs.Local.FakeBedrock;

/// <summary>
/// A stand-in for Bedrock Runtime's <c>InvokeModel</c> on 127.0.0.1: it checks the request is
/// signed for service <c>bedrock</c>, validates the body the way the model family does, and answers
/// with real PNGs of the size the model would return, deterministic from prompt and seed. Errors use
/// Bedrock's shapes, so the real client's error handling is what gets exercised.
/// </summary>
public sealed class FakeBedrockServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _calls;

    private FakeBedrockServer(WebApplication app, int port, FakeBedrockOptions options)
    {
        _app = app;
        Port = port;
        Options = options;
    }

    public int Port { get; }

    public Uri Endpoint => new($"http://127.0.0.1:{Port}/");

    public FakeBedrockOptions Options { get; }

    /// <summary>InvokeModel calls received so far, answered or not.</summary>
    public int Calls => Volatile.Read(ref _calls);

    public static async Task<FakeBedrockServer> StartAsync(int port, FakeBedrockOptions options, ModelCatalog catalog)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        var server = new FakeBedrockServer(app, port, options);
        app.MapPost("/model/{modelId}/invoke", (HttpContext context, string modelId) => server.InvokeAsync(context, modelId, catalog));
        await app.StartAsync().ConfigureAwait(false);
        return server;
    }

    private async Task InvokeAsync(HttpContext context, string modelId, ModelCatalog catalog)
    {
        Interlocked.Increment(ref _calls);
        var cancellationToken = context.RequestAborted;
        var authorization = context.Request.Headers.Authorization.ToString();
        if (!authorization.StartsWith("AWS4-HMAC-SHA256 ", StringComparison.Ordinal) || !authorization.Contains("/bedrock/aws4_request", StringComparison.Ordinal))
        {
            await ErrorAsync(context, new FakeBedrockError("UnrecognizedClientException", 403, "The request must be signed with SigV4 for service 'bedrock'.")).ConfigureAwait(false);
            return;
        }

        if (!catalog.TryGet(modelId, out var model))
        {
            await ErrorAsync(context, new FakeBedrockError(BedrockErrors.ResourceNotFound, 404, $"Model {modelId} not found.")).ConfigureAwait(false);
            return;
        }

        if (!string.Equals(context.Request.ContentType, "application/json", StringComparison.OrdinalIgnoreCase))
        {
            await ErrorAsync(context, new FakeBedrockError(BedrockErrors.Validation, 400, "Content-Type must be application/json.")).ConfigureAwait(false);
            return;
        }

        StabilityImageRequest? request;
        try
        {
            request = await JsonSerializer.DeserializeAsync(context.Request.Body, JobsJsonContext.Default.StabilityImageRequest, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            await ErrorAsync(context, new FakeBedrockError(BedrockErrors.Validation, 400, $"Malformed input request: {ex.Message}")).ConfigureAwait(false);
            return;
        }

        if (Validate(request, model) is { } invalid)
        {
            await ErrorAsync(context, new FakeBedrockError(BedrockErrors.Validation, 400, "Malformed input request: " + invalid + ", please reformat your input and try again.")).ConfigureAwait(false);
            return;
        }

        if (Options.BeforeAnswer is { } gate)
        {
            await gate(request!.Prompt, cancellationToken).ConfigureAwait(false);
        }

        if (Options.InjectedErrors.TryDequeue(out var injected))
        {
            await ErrorAsync(context, injected).ConfigureAwait(false);
            return;
        }

        if (Options.Latency > TimeSpan.Zero)
        {
            await Task.Delay(Options.Latency, cancellationToken).ConfigureAwait(false);
        }

        var size = model.Rules.AspectRatios![request!.AspectRatio ?? model.Rules.DefaultAspectRatio!];
        var seed = request.Seed is > 0 ? request.Seed.Value : ImagePainter.SeedFor(request.Prompt);
        var png = ImagePainter.PaintPng(request.Prompt, seed, size.Width, size.Height);
        var response = new StabilityImageResponse { Seeds = [seed], FinishReasons = [null], Images = [Convert.ToBase64String(png)] };
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        context.Response.Headers["x-amzn-requestid"] = Guid.NewGuid().ToString();
        await JsonSerializer.SerializeAsync(context.Response.Body, response, JobsJsonContext.Default.StabilityImageResponse, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The first rule the body breaks, in the words Bedrock uses, or null.</summary>
    private static string? Validate(StabilityImageRequest? request, ImageModel model)
    {
        if (request is null || string.IsNullOrEmpty(request.Prompt))
        {
            return "#: required key [prompt] not found";
        }

        if (request.Prompt.Length > model.Rules.PromptMaxLength)
        {
            return $"#/prompt: expected maxLength: {model.Rules.PromptMaxLength}, actual: {request.Prompt.Length}";
        }

        if (request.NegativePrompt is { Length: var n } && n > model.Rules.NegativePromptMaxLength)
        {
            return $"#/negative_prompt: expected maxLength: {model.Rules.NegativePromptMaxLength}, actual: {n}";
        }

        if (request.AspectRatio is { } ratio && !model.Rules.AspectRatios!.ContainsKey(ratio))
        {
            return $"#/aspect_ratio: {ratio} is not a valid enum value";
        }

        if (request.Seed is < 0 || request.Seed > model.Rules.SeedMax)
        {
            return $"#/seed: {request.Seed} is not in range 0..{model.Rules.SeedMax}";
        }

        if (request.OutputFormat is { } format && format is not ("png" or "jpeg"))
        {
            return $"#/output_format: {format} is not a valid enum value";
        }

        if (request.Mode is { } mode && mode != "text-to-image")
        {
            return $"#/mode: {mode} needs an input image";
        }

        return null;
    }

    private static async Task ErrorAsync(HttpContext context, FakeBedrockError error)
    {
        context.Response.StatusCode = error.StatusCode;
        context.Response.ContentType = "application/json";
        context.Response.Headers["x-amzn-ErrorType"] = $"{error.Type}:http://internal.amazon.com/coral/com.amazon.bedrock/";
        var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["message"] = error.Message }, LocalJsonContext.Default.DictionaryStringString);
        await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
