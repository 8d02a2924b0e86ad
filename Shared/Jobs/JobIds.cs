namespace Jobs.Shared.Jobs;

/// <summary>
/// Job ids are UUIDv7: time-ordered, so ids sort by submission and spread evenly over DynamoDB partitions.
/// </summary>
public static class JobIds
{
    public static string New(TimeProvider time) => Guid.CreateVersion7(time.GetUtcNow()).ToString("D");

    public static bool IsWellFormed(string? id) =>
        id is { Length: 36 } && Guid.TryParseExact(id, "D", out _);
}
