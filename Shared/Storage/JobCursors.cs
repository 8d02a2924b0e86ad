using System.Globalization;
using System.Text;
using System.Text.Json;
using Amazon.DynamoDBv2.Model;
using Jobs.Shared.Jobs;
using Jobs.Shared.Json;
using static Jobs.Shared.Storage.JobItemMapper;

namespace Jobs.Shared.Storage;

/// <summary>
/// The listing index's last evaluated key, carried by clients between pages as opaque base64url.
/// A cursor is checked in full before DynamoDB sees it: a missing, empty or malformed field (which
/// DynamoDB would reject with a server error) or one from another query is the client's error.
/// </summary>
public static class JobCursors
{
    /// <summary>Far above any cursor this service issues (about 150 characters), far below DynamoDB's key limits.</summary>
    public const int MaxLength = 512;

    public static string Encode(Dictionary<string, AttributeValue> lastKey)
    {
        ArgumentNullException.ThrowIfNull(lastKey);
        var cursor = new JobCursor(lastKey["jobId"].S, lastKey[JobTable.ListedAs].S, lastKey[JobTable.OwnerCreated].S);
        var json = JsonSerializer.SerializeToUtf8Bytes(cursor, JobsJsonContext.Default.JobCursor);
        return Convert.ToBase64String(json).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    /// <exception cref="InvalidCursorException">The cursor is not one this service issued for this listing.</exception>
    /// <param name="cursor">The client's cursor.</param>
    /// <param name="listing">The partition being listed.</param>
    /// <param name="ownerPrefix">The caller's range of the index (<c>&lt;owner key&gt;#</c>): a cursor into anyone else's is refused.</param>
    public static Dictionary<string, AttributeValue> Decode(string cursor, string listing, string ownerPrefix)
    {
        ArgumentNullException.ThrowIfNull(cursor);
        if (cursor.Length > MaxLength)
        {
            throw new InvalidCursorException("cursor is not one this service issued.");
        }

        JobCursor? decoded;
        try
        {
            var base64 = cursor.Replace('-', '+').Replace('_', '/');
            base64 = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
            decoded = JsonSerializer.Deserialize(Encoding.UTF8.GetString(Convert.FromBase64String(base64)), JobsJsonContext.Default.JobCursor);
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            throw new InvalidCursorException("cursor is not one this service issued.");
        }

        ArgumentNullException.ThrowIfNull(ownerPrefix);
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

    /// <summary>Exactly the fixed-width form <see cref="JobItemMapper.Timestamp"/> writes.</summary>
    private static bool IsTimestamp(string? text) =>
        text is { Length: 28 } && DateTime.TryParseExact(text, "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out _);
}
