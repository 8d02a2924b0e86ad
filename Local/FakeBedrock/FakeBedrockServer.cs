using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Jobs.Consumer.Bedrock;
using Jobs.Shared.Json;
using Jobs.Shared.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Hosting;
using Jobs.Local.Hosting;

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
    private readonly ConcurrentDictionary<string, FakeBedrockQuota> _quotas = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, FakeModelStats> _models = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, FakePromptLedger> _prompts = new(StringComparer.Ordinal);
    private readonly Random _random;
    private int _calls;
    private int _errors;
    private int _throttled;

    private FakeBedrockServer(WebApplication app, int port, FakeBedrockOptions options)
    {
        _app = app;
        Port = port;
        Options = options;
        _random = new Random(options.RandomSeed);
    }

    public int Port { get; }

    public Uri Endpoint => new($"http://127.0.0.1:{Port}/");

    public FakeBedrockOptions Options { get; }

    /// <summary>InvokeModel calls received so far, answered or not.</summary>
    public int Calls => Volatile.Read(ref _calls);

    /// <summary>Calls answered with an error.</summary>
    public int Errors => Volatile.Read(ref _errors);

    /// <summary>Calls refused by the requests-per-minute quota.</summary>
    public int Throttled => Volatile.Read(ref _throttled);

    /// <summary>Each model's calls, throttles and calls in flight.</summary>
    public FakeModelStats StatsFor(string modelId) => _models.GetOrAdd(modelId, _ => new FakeModelStats());

    /// <summary>Starts every model's quota afresh (full buckets), as a new account's would be.</summary>
    public void ResetQuotas() => _quotas.Clear();

    /// <summary>Answers with images (filtered or not) for a prompt: how tests see that work was not done twice.</summary>
    public int GenerationsFor(string prompt) => _prompts.TryGetValue(prompt, out var ledger) ? ledger.Generations.Count : 0;

    /// <summary>Everything the fake did for one prompt: calls, errors by type, when it answered with images.</summary>
    public FakePromptLedger? LedgerFor(string prompt) => _prompts.TryGetValue(prompt, out var ledger) ? ledger : null;

    private static FakeAnswer Failed(FakePromptLedger? ledger, FakeBedrockError error)
    {
        ledger?.Failed(error.Type);
        return FakeAnswer.Fail(error);
    }

    public static async Task<FakeBedrockServer> StartAsync(int port, FakeBedrockOptions options, ModelCatalog catalog)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddSingleton<IHostLifetime, EmbeddedHostLifetime>();
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
        var answer = await AnswerAsync(context, modelId, catalog, cancellationToken).ConfigureAwait(false);
        if (answer.Error is { } error)
        {
            Interlocked.Increment(ref _errors);
            await ErrorAsync(context, error).ConfigureAwait(false);
            return;
        }

        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        context.Response.Headers["x-amzn-requestid"] = Guid.NewGuid().ToString();
        await context.Response.Body.WriteAsync(answer.Body, cancellationToken).ConfigureAwait(false);
    }

    private async Task<FakeAnswer> AnswerAsync(HttpContext context, string modelId, ModelCatalog catalog, CancellationToken cancellationToken)
    {
        var calledAt = DateTimeOffset.UtcNow;
        var authorization = context.Request.Headers.Authorization.ToString();
        if (!authorization.StartsWith("AWS4-HMAC-SHA256 ", StringComparison.Ordinal) || !authorization.Contains("/bedrock/aws4_request", StringComparison.Ordinal))
        {
            return FakeAnswer.Fail(new FakeBedrockError("UnrecognizedClientException", 403, "The request must be signed with SigV4 for service 'bedrock'."));
        }

        // A cross-Region inference profile id (us.…) names the model behind it.
        var baseId = modelId.StartsWith("us.", StringComparison.Ordinal) ? modelId[3..] : modelId;
        if (!catalog.TryGet(baseId, out var model) || (baseId != modelId && model.InvokeId != modelId && model.Family == ModelFamily.StabilityEdit))
        {
            return FakeAnswer.Fail(new FakeBedrockError(BedrockErrors.ResourceNotFound, 404, $"Model {modelId} not found."));
        }

        if (model.InvokeId != model.Id && modelId == model.Id)
        {
            return FakeAnswer.Fail(new FakeBedrockError(
                BedrockErrors.Validation,
                400,
                $"Invocation of model ID {modelId} with on-demand throughput isn't supported. Retry your request with the ID or ARN of an inference profile that contains this model."));
        }

        modelId = model.Id;

        if (Options.EndOfLifeModels.Contains(modelId))
        {
            return FakeAnswer.Fail(FakeBedrockError.Of(BedrockErrors.ResourceNotFound));
        }

        if (!string.Equals(context.Request.ContentType, "application/json", StringComparison.OrdinalIgnoreCase))
        {
            return FakeAnswer.Fail(new FakeBedrockError(BedrockErrors.Validation, 400, "Content-Type must be application/json."));
        }

        var guardrail = context.Request.Headers["X-Amzn-Bedrock-GuardrailIdentifier"].ToString();
        var guardrailVersion = context.Request.Headers["X-Amzn-Bedrock-GuardrailVersion"].ToString();
        if (guardrail.Length > 0 != guardrailVersion.Length > 0)
        {
            return FakeAnswer.Fail(new FakeBedrockError(BedrockErrors.Validation, 400, "Guardrail identifier and version must be given together."));
        }

        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        var (request, invalid) = model.Family switch
        {
            ModelFamily.StabilityImage when FakeTaskRouting.IsImageToImage(buffer.ToArray()) => FakeStabilityEdit.Read(buffer.ToArray(), model, model.Tasks[Shared.Models.Tasks.ImageTasks.ImageToImage]),
            ModelFamily.StabilityImage => FakeStabilityImage.Read(buffer.ToArray(), model),
            ModelFamily.StabilityEdit => FakeStabilityEdit.Read(buffer.ToArray(), model, model.Tasks.Values.Single()),
            ModelFamily.AmazonImage when FakeTaskRouting.ReadsImages(buffer.ToArray()) is { } root => FakeAmazonTask.Read(root, model),
            ModelFamily.AmazonImage => FakeAmazonImage.Read(buffer.ToArray(), model),
            ModelFamily.StabilityXl => FakeStabilityXl.Read(buffer.ToArray(), model),
            _ => (null, FakeAnswer.Malformed("#: unknown model family")),
        };
        var ledger = request is null ? null : _prompts.GetOrAdd(request.Prompt, _ => new FakePromptLedger());
        ledger?.Called();

        var stats = _models.GetOrAdd(modelId, _ => new FakeModelStats());
        stats.Called();
        if (Options.RequestsPerMinute is { } quota &&
            // A bucket per model and per setting, so a test that changes the quota starts a fresh one.
            !_quotas.GetOrAdd($"{modelId}|{quota}|{Options.QuotaWindow.Ticks}|{Options.QuotaMode}", _ => new FakeBedrockQuota(quota, Options.QuotaWindow, Options.QuotaMode, TimeProvider.System)).TryTake())
        {
            Interlocked.Increment(ref _throttled);
            stats.Throttle();
            return Failed(ledger, FakeBedrockError.Of(BedrockErrors.Throttling));
        }

        stats.Enter();
        try
        {
            return await AnswerAcceptedAsync(request, invalid, ledger, calledAt, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            stats.Leave();
        }
    }

    /// <summary>The answer to a call the quota let through: injected faults, validation, the picture.</summary>
    private async Task<FakeAnswer> AnswerAcceptedAsync(FakeRequest? request, FakeAnswer? invalid, FakePromptLedger? ledger, DateTimeOffset calledAt, CancellationToken cancellationToken)
    {
        if (Options.InjectedErrors.TryDequeue(out var injected))
        {
            return Failed(ledger, injected);
        }

        foreach (var (type, rate) in Options.ErrorRates)
        {
            if (Draw() < rate)
            {
                return Failed(ledger, FakeBedrockError.Of(type));
            }
        }

        if (invalid is not null)
        {
            return invalid;
        }

        if (Options.BeforeAnswer is { } gate)
        {
            await gate(request!.Prompt, cancellationToken).ConfigureAwait(false);
        }

        // After the gate, so a test can hold a call open and then have it fail.
        if (Options.PromptErrors.TryGetValue(request!.Prompt, out var forPrompt) && forPrompt.TryDequeue(out var promptError))
        {
            return Failed(ledger, promptError);
        }

        var spread = Options.LatencyMax > Options.LatencyMin ? Options.LatencyMax - Options.LatencyMin : TimeSpan.Zero;
        var latency = Options.LatencyMin + (spread * Draw());
        if (latency > TimeSpan.Zero)
        {
            await Task.Delay(latency, cancellationToken).ConfigureAwait(false);
        }

        var filter = Options.PromptFilterWords.Any(w => request!.Prompt.Contains(w, StringComparison.OrdinalIgnoreCase)) ? FakeFilter.Prompt
            : Options.OutputFilterWords.Any(w => request!.Prompt.Contains(w, StringComparison.OrdinalIgnoreCase)) ? FakeFilter.Output
            : FakeFilter.None;
        // A model that answers with something that is not an image (its answer is still valid JSON).
        var notPng = Options.NotPngWords.Any(w => request!.Prompt.Contains(w, StringComparison.OrdinalIgnoreCase));
        var images = Enumerable.Range(0, request!.Count)
            .Select(i => (notPng ? "this is not a PNG"u8.ToArray() : request.Render is { } render ? render(i) : ImagePainter.PaintPng(request.Prompt, request.Seed + i, request.Size.Width, request.Size.Height), request.Seed + i))
            .ToList();
        ledger!.Generated(calledAt, DateTimeOffset.UtcNow);
        return request.Answer(images, filter);
    }

    private double Draw()
    {
        lock (_random)
        {
            return _random.NextDouble();
        }
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
