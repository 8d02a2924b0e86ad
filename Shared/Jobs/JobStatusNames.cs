namespace Jobs.Shared.Jobs;

/// <summary>
/// The one mapping between <see cref="JobStatus"/> and its stored and wire name, so DynamoDB
/// items, query strings and notices can never drift apart.
/// </summary>
public static class JobStatusNames
{
    public static string ToName(this JobStatus status) => status switch
    {
        JobStatus.Queued => "queued",
        JobStatus.Running => "running",
        JobStatus.Succeeded => "succeeded",
        JobStatus.Failed => "failed",
        JobStatus.Canceled => "canceled",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static bool TryParse(string? name, out JobStatus status)
    {
        foreach (var candidate in Enum.GetValues<JobStatus>())
        {
            if (string.Equals(candidate.ToName(), name, StringComparison.Ordinal))
            {
                status = candidate;
                return true;
            }
        }

        status = default;
        return false;
    }

    /// <summary>The names clients may ask for, for error messages.</summary>
    public static string All => string.Join(", ", Enum.GetValues<JobStatus>().Select(s => s.ToName()));
}
