using Jobs.Shared.Requests;
using System.Security.Cryptography;
using System.Text.Json;

namespace Jobs.Producer.Jobs;

/// <summary>
/// The <c>Idempotency-Key</c> request header, as Stripe and the IETF draft use it: a client's
/// name for one request, so a retry after a lost answer returns the job the first try made.
/// </summary>
public static class IdempotencyKeys
{
    public const string Header = "Idempotency-Key";

    /// <summary>Set to <c>true</c> on an answer that is an earlier request's job, not a new one.</summary>
    public const string ReplayedHeader = "Idempotent-Replayed";

    public const int MaxLength = 255;

    /// <summary>Why the key cannot be used, or null: 1 to 255 visible ASCII characters (a UUID fits).</summary>
    public static string? Problem(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.Length is 0 or > MaxLength || key.Any(c => c is < '!' or > '~')
            ? $"must be 1 to {MaxLength} visible ASCII characters, such as a UUID."
            : null;
    }

    /// <summary>
    /// The request's identity under its key: the parsed body written back in one canonical form,
    /// so spacing or key order does not make a retry "different".
    /// </summary>
    public static string Hash(JobSubmission submission) =>
        Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(submission, ProducerJsonContext.Default.JobSubmission)));
}
