namespace Jobs.Shared.Lambda;

/// <summary>What the Runtime API says about one invocation; <see cref="Deadline"/> bounds all work on it.</summary>
public sealed record LambdaContext(string RequestId, DateTimeOffset Deadline, string? FunctionArn, string? TraceId);
