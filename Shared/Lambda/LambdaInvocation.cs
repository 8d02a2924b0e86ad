namespace Jobs.Shared.Lambda;

/// <summary>One event handed out by the Runtime API: its context and the raw JSON payload.</summary>
public sealed record LambdaInvocation(LambdaContext Context, byte[] Payload);
