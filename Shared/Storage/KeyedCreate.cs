namespace Jobs.Shared.Storage;

/// <summary>
/// What creating a job under an idempotency key did: made the job (and the key's record with it,
/// in one transaction), or found the key already held, with the record that holds it.
/// </summary>
public sealed class KeyedCreate
{
    private KeyedCreate(IdempotencyRecord? existing) => Existing = existing;

    /// <summary>The record of the request that took the key first; null when this request did.</summary>
    public IdempotencyRecord? Existing { get; }

    public bool IsCreated => Existing is null;

    public static KeyedCreate Created { get; } = new(null);

    public static KeyedCreate Found(IdempotencyRecord existing) => new(existing ?? throw new ArgumentNullException(nameof(existing)));
}
