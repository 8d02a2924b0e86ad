using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace Jobs.Shared.Logging;

/// <summary>
/// One JSON object per log line, in the shape Lambda's JSON log format reads: <c>timestamp</c> (UTC,
/// RFC 3339), <c>level</c> in Lambda's words (so <c>applicationLogLevel</c> filters it),
/// <c>message</c>, <c>logger</c>; every value of the active scopes (the request id, the job id) and
/// every template placeholder as a field of its own, so CloudWatch Logs Insights can query them;
/// the exception, when there is one, as text.
/// </summary>
public sealed class LambdaJsonFormatter() : ConsoleFormatter(FormatterName)
{
    public const string FormatterName = "lambda-json";

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        ArgumentNullException.ThrowIfNull(textWriter);
        var message = logEntry.Formatter?.Invoke(logEntry.State, logEntry.Exception);
        if (message is null && logEntry.Exception is null)
        {
            return;
        }

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("timestamp", DateTimeOffset.UtcNow.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture));
            json.WriteString("level", Level(logEntry.LogLevel));
            json.WriteString("message", message ?? string.Empty);
            json.WriteString("logger", logEntry.Category);
            var written = new HashSet<string>(StringComparer.Ordinal) { "timestamp", "level", "message", "logger", "exception" };
            scopeProvider?.ForEachScope(
                (scope, writer) =>
                {
                    if (scope is IEnumerable<KeyValuePair<string, object?>> values)
                    {
                        WriteValues(writer, values, written);
                    }
                },
                json);
            if (logEntry.State is IEnumerable<KeyValuePair<string, object?>> state)
            {
                WriteValues(json, state, written);
            }

            if (logEntry.Exception is { } exception)
            {
                json.WriteString("exception", exception.ToString());
            }

            json.WriteEndObject();
        }

        textWriter.Write(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
        textWriter.Write(Environment.NewLine);
    }

    private static void WriteValues(Utf8JsonWriter json, IEnumerable<KeyValuePair<string, object?>> values, HashSet<string> written)
    {
        foreach (var (name, value) in values)
        {
            // "{OriginalFormat}" is the template itself; a name seen once is not written twice.
            if (name == "{OriginalFormat}" || !written.Add(name))
            {
                continue;
            }

            switch (value)
            {
                case null:
                    json.WriteNull(name);
                    break;
                case bool b:
                    json.WriteBoolean(name, b);
                    break;
                case int or long or short or byte or uint or ulong:
                    json.WriteNumber(name, Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture));
                    break;
                case double or float or decimal:
                    json.WriteNumber(name, Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture));
                    break;
                default:
                    json.WriteString(name, Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture));
                    break;
            }
        }
    }

    /// <summary>The level names Lambda's log-level filtering reads.</summary>
    private static string Level(LogLevel level) => level switch
    {
        LogLevel.Trace => "TRACE",
        LogLevel.Debug => "DEBUG",
        LogLevel.Information => "INFO",
        LogLevel.Warning => "WARN",
        LogLevel.Error => "ERROR",
        LogLevel.Critical => "FATAL",
        _ => "INFO",
    };
}
