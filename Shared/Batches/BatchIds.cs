using System.Security.Cryptography;
using System.Text;

namespace Jobs.Shared.Batches;

/// <summary>
/// A batch job's id is a function of its batch and its place in the manifest (a version-8 UUID of a
/// SHA-256), so an expansion step that runs twice writes the same jobs, never new ones.
/// </summary>
public static class BatchIds
{
    public static string JobIdFor(string batchId, int index)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{batchId}:{index}"));
        var bytes = hash.AsSpan(0, 16).ToArray();
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80); // version 8
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 9562 variant
        return new Guid(bytes, bigEndian: true).ToString("D");
    }

    /// <summary>The table key of the batch's own item, apart from every job's.</summary>
    public static string ItemKey(string batchId) => "batch#" + batchId;
}
