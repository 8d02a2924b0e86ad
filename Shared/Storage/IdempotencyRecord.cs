namespace Jobs.Shared.Storage;

/// <summary>
/// What an <c>Idempotency-Key</c> promised: the job its first request made and a hash of that
/// request, so a retry with the same body is answered with the same job and a different body
/// under the same key is refused. Kept until <see cref="ExpiresAt"/>, then the key may be reused.
/// </summary>
public sealed record IdempotencyRecord(string Key, string RequestHash, string JobId, DateTimeOffset ExpiresAt);
