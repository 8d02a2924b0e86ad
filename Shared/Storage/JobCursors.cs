using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Amazon.DynamoDBv2.Model;
using Jobs.Shared.Jobs;
using Jobs.Shared.Json;
using static Jobs.Shared.Storage.JobItemMapper;

namespace Jobs.Shared.Storage;

/// <summary>
/// The listing index's last evaluated key, carried by clients between pages as opaque base64url
/// followed by an HMAC-SHA256 of it under the deployment's cursor key. The signature makes the
/// cursor the client's to hold but not to make: an edited cursor (another owner's range, another
/// status) is refused before any field is read. The fields are still checked in full afterwards, so
/// a cursor signed under a leaked key cannot reach DynamoDB malformed either.
/// </summary>
public static class JobCursors
{
    /// <summary>Far above any cursor this service issues (about 200 characters), far below DynamoDB's key limits.</summary>
    public const int MaxLength = 512;

    /// <summary>Separates what the MAC covers from other uses of the same key.</summary>
    private static readonly byte[] Purpose = "jobs-list-cursor-v1\n"u8.ToArray();

    public static string Encode(Dictionary<string, AttributeValue> lastKey, byte[] key)
    {
        ArgumentNullException.ThrowIfNull(lastKey);
        var cursor = new JobCursor(lastKey["jobId"].S, lastKey[JobTable.ListedAs].S, lastKey[JobTable.OwnerCreated].S);
        var payload = Base64Url(JsonSerializer.SerializeToUtf8Bytes(cursor, JobsJsonContext.Default.JobCursor));
        return payload + "." + Base64Url(Mac(payload, key));
    }

    /// <exception cref="InvalidCursorException">The cursor is not one this service issued for this listing.</exception>
    /// <param name="cursor">The client's cursor.</param>
    /// <param name="listing">The partition being listed.</param>
    /// <param name="ownerPrefix">The caller's range of the index (<c>&lt;owner key&gt;#</c>): a cursor into anyone else's is refused.</param>
    /// <param name="key">The deployment's cursor key.</param>
    public static Dictionary<string, AttributeValue> Decode(string cursor, string listing, string ownerPrefix, byte[] key)
    {
        ArgumentNullException.ThrowIfNull(cursor);
        ArgumentNullException.ThrowIfNull(ownerPrefix);
        var dot = cursor.IndexOf('.', StringComparison.Ordinal);
        if (cursor.Length > MaxLength || dot <= 0
            || FromBase64Url(cursor[(dot + 1)..]) is not { } signature
            || !CryptographicOperations.FixedTimeEquals(signature, Mac(cursor[..dot], key)))
        {
            throw new InvalidCursorException("cursor is not one this service issued.");
        }

        JobCursor? decoded;
        try
        {
            decoded = FromBase64Url(cursor[..dot]) is { } json ? JsonSerializer.Deserialize(json, JobsJsonContext.Default.JobCursor) : null;
        }
        catch (JsonException)
        {
            decoded = null;
        }

        if (decoded is null || decoded.Listing != listing || !JobIds.IsWellFormed(decoded.JobId)
            || decoded.OwnerCreated?.StartsWith(ownerPrefix, StringComparison.Ordinal) != true || !IsTimestamp(decoded.OwnerCreated[ownerPrefix.Length..]))
        {
            throw new InvalidCursorException("cursor does not belong to this status query.");
        }

        return new()
        {
            ["jobId"] = S(decoded.JobId),
            [JobTable.ListedAs] = S(decoded.Listing),
            [JobTable.OwnerCreated] = S(decoded.OwnerCreated),
        };
    }

    private static byte[] Mac(string payload, byte[] key)
    {
        var data = new byte[Purpose.Length + Encoding.ASCII.GetByteCount(payload)];
        Purpose.CopyTo(data, 0);
        Encoding.ASCII.GetBytes(payload, data.AsSpan(Purpose.Length));
        return HMACSHA256.HashData(key, data);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[]? FromBase64Url(string text)
    {
        var base64 = text.Replace('-', '+').Replace('_', '/');
        base64 = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
        try
        {
            return Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>Exactly the fixed-width form <see cref="JobItemMapper.Timestamp"/> writes.</summary>
    private static bool IsTimestamp(string? text) =>
        text is { Length: 28 } && DateTime.TryParseExact(text, "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out _);
}
