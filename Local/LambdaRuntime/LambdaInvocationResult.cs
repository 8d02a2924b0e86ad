namespace Jobs.Local.LambdaRuntime;

/// <summary>
/// How one invocation ended: the function's response, or the error document it posted to
/// <c>/error</c> with its <c>Lambda-Runtime-Function-Error-Type</c>.
/// </summary>
public sealed record LambdaInvocationResult(string RequestId, byte[] Body, bool IsError, string? ErrorType);
