using System.Text;
using Jobs.Shared.Json;
using Jobs.Shared.Lambda;
using Microsoft.Extensions.Logging.Abstractions;

namespace Jobs.Tests.Lambda;

/// <summary>The runtime loop against a hand-made Runtime API, as Amazon.Lambda.RuntimeSupport tests its own.</summary>
[NonParallelizable]
public sealed class LambdaRuntimeLoopTests
{
    [Test]
    public async Task The_invocations_trace_id_is_in_X_AMZN_TRACE_ID_while_it_runs()
    {
        const string traceId = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";
        var api = new RecordingRuntimeApi();
        string? seen = null;
        var loop = new LambdaRuntimeLoop<SqsEvent, SqsBatchResponse>(
            api,
            (_, _, _) =>
            {
                seen = Environment.GetEnvironmentVariable("_X_AMZN_TRACE_ID");
                return Task.FromResult(new SqsBatchResponse());
            },
            JobsJsonContext.Default.SqsEvent,
            JobsJsonContext.Default.SqsBatchResponse,
            TimeProvider.System,
            NullLogger.Instance);

        await loop.InvokeOnceAsync(
            new LambdaInvocation(new LambdaContext("req-1", DateTimeOffset.UtcNow.AddMinutes(1), "arn:aws:lambda:us-east-1:123456789012:function:f", traceId), "{\"Records\":[]}"u8.ToArray()),
            CancellationToken.None);

        Assert.That(seen, Is.EqualTo(traceId));
        Assert.That(api.Responses.Keys, Is.EqualTo(new[] { "req-1" }));
    }

    private sealed class RecordingRuntimeApi : ILambdaRuntimeApi
    {
        public Dictionary<string, string> Responses { get; } = [];

        public Task<LambdaInvocation> NextAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task RespondAsync(string requestId, byte[] response, CancellationToken cancellationToken)
        {
            Responses[requestId] = Encoding.UTF8.GetString(response);
            return Task.CompletedTask;
        }

        public Task ReportErrorAsync(string requestId, LambdaError error, CancellationToken cancellationToken) =>
            throw new InvalidOperationException(error.ErrorMessage);

        public Task ReportInitErrorAsync(LambdaError error, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
