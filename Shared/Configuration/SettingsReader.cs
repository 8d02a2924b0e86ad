using System.Globalization;

namespace Jobs.Shared.Configuration;

/// <summary>
/// Reads settings from the environment, remembering each value that is set but cannot be read, so
/// a function reports every bad setting at start instead of silently using a default.
/// </summary>
public sealed class SettingsReader(Func<string, string?> environment)
{
    private readonly List<string> _problems = [];

    /// <summary>Values that were set but could not be read, each naming its variable.</summary>
    public IReadOnlyList<string> Problems => _problems;

    public string? Text(string name) => environment(name) is { Length: > 0 } value ? value : null;

    public int? Int(string name)
    {
        if (Text(name) is not { } text)
        {
            return null;
        }

        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        _problems.Add($"{name} must be a whole number (it is '{text}').");
        return null;
    }

    public double? Number(string name)
    {
        if (Text(name) is not { } text)
        {
            return null;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value))
        {
            return value;
        }

        _problems.Add($"{name} must be a number (it is '{text}').");
        return null;
    }

    public bool? Flag(string name)
    {
        if (Text(name) is not { } text)
        {
            return null;
        }

        if (bool.TryParse(text, out var value))
        {
            return value;
        }

        _problems.Add($"{name} must be true or false (it is '{text}').");
        return null;
    }
}
