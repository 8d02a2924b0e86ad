using System.Collections;

namespace Jobs.Shared.Logging;

/// <summary>
/// A logging scope of named values (the job id, the Lambda request id) that the JSON log lines carry
/// as fields of their own; a list of pairs, as Microsoft.Extensions.Logging expects of a scope with
/// structure, and readable as text for any other logger.
/// </summary>
public sealed class LogScope(params KeyValuePair<string, object?>[] values) : IReadOnlyList<KeyValuePair<string, object?>>
{
    /// <summary>A scope of one named value, such as the job id.</summary>
    public static LogScope Of(string name, object? value) => new(new KeyValuePair<string, object?>(name, value));

    public int Count => values.Length;

    public KeyValuePair<string, object?> this[int index] => values[index];

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, object?>>)values).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => string.Join(", ", values.Select(v => $"{v.Key}={v.Value}"));
}
