using System.Security.Cryptography;
using System.Text;

namespace Jobs.Shared.Uploads;

/// <summary>
/// Where an owner's upload lives. The owner's part of the key is a hash (an IAM ARN or a JWT
/// subject is not a safe key segment), and a job resolves an upload id only under its own caller's
/// prefix, so one caller can never name another's image.
/// </summary>
public static class UploadKeys
{
    /// <summary>A fresh upload id: 32 lower-case hex characters.</summary>
    public static string NewId() => Guid.CreateVersion7().ToString("N");

    public static string OwnerPrefix(UploadOptions options, string owner)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(owner);
        return $"{options.KeyPrefix}{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(owner)))[..32]}/";
    }

    public static string KeyFor(UploadOptions options, string owner, string uploadId) => OwnerPrefix(options, owner) + uploadId;
}
