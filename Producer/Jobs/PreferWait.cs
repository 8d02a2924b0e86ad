using System.Globalization;

namespace Jobs.Producer.Jobs;

/// <summary>
/// The <c>wait</c> preference of RFC 7240 (<c>Prefer: wait=10</c>): how long the client would
/// rather the answer waited for the job to finish. Capped at 25 seconds, inside API Gateway's
/// 29-second integration limit; a preference that cannot be read is ignored, as the RFC asks.
/// </summary>
public static class PreferWait
{
    public const int MaxSeconds = 25;

    /// <summary>The seconds asked for (capped), or null when the request asks no wait.</summary>
    public static int? Parse(string? prefer)
    {
        if (string.IsNullOrWhiteSpace(prefer))
        {
            return null;
        }

        foreach (var preference in prefer.Split(','))
        {
            var parts = preference.Split(';')[0].Split('=', 2, StringSplitOptions.TrimEntries);
            if (parts.Length == 2 && parts[0].Equals("wait", StringComparison.OrdinalIgnoreCase)
                && int.TryParse(parts[1].Trim('"'), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            {
                return Math.Min(seconds, MaxSeconds);
            }
        }

        return null;
    }
}
