using System.Globalization;
using Jobs.Local.FakeBedrock;

namespace Jobs.Local.Cli;

/// <summary>Reads the fake Bedrock's knobs from the command line; a bad value stops the run with the reason.</summary>
public static class FakeBedrockKnobs
{
    public static void Apply(FakeBedrockOptions options, string? latency, int? requestsPerMinute, IEnumerable<string> errorRates)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(errorRates);
        if (latency is not null)
        {
            var parts = latency.Split('-', 2);
            if (!parts.All(p => int.TryParse(p, CultureInfo.InvariantCulture, out var ms) && ms >= 0))
            {
                throw new ArgumentException($"--bedrock-latency '{latency}' must be milliseconds, like 2000 or 1000-6000.");
            }

            options.LatencyMin = TimeSpan.FromMilliseconds(int.Parse(parts[0], CultureInfo.InvariantCulture));
            options.LatencyMax = TimeSpan.FromMilliseconds(int.Parse(parts[^1], CultureInfo.InvariantCulture));
        }

        if (requestsPerMinute is { } rpm)
        {
            options.RequestsPerMinute = rpm > 0 ? rpm : throw new ArgumentException("--bedrock-rpm must be positive.");
        }

        foreach (var entry in errorRates)
        {
            var pair = entry.Split('=', 2);
            if (pair.Length != 2 || !double.TryParse(pair[1], CultureInfo.InvariantCulture, out var rate) || rate is < 0 or > 1)
            {
                throw new ArgumentException($"--bedrock-error-rate '{entry}' must look like InternalServerException=0.1.");
            }

            _ = FakeBedrockError.Of(pair[0]);
            options.ErrorRates[pair[0]] = rate;
        }
    }
}
