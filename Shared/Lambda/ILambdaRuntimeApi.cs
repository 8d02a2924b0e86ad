namespace Jobs.Shared.Lambda;

/// <summary>The Lambda Runtime API (version 2018-06-01) as the runtime loop uses it.</summary>
public interface ILambdaRuntimeApi
{
    /// <summary>Waits for the next invocation (long poll).</summary>
    Task<LambdaInvocation> NextAsync(CancellationToken cancellationToken);

    Task RespondAsync(string requestId, byte[] response, CancellationToken cancellationToken);

    Task ReportErrorAsync(string requestId, LambdaError error, CancellationToken cancellationToken);

    Task ReportInitErrorAsync(LambdaError error, CancellationToken cancellationToken);
}
