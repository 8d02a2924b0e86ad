using Spectre.Console;

namespace Jobs.Local.Cli;

/// <summary>Shows set-up steps as they happen, with the time since start.</summary>
public sealed class SpectreProgress : IProgress<string>
{
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();

    public void Report(string value) =>
        AnsiConsole.MarkupLine($"[grey]{_clock.Elapsed.TotalSeconds,6:0.0}s[/] {Markup.Escape(value)}");
}
