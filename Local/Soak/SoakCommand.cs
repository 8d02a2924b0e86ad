using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Jobs.Local.Cli;
using Spectre.Console;

namespace Jobs.Local.Soak;

/// <summary><c>Local soak --minutes N</c>: runs the fault soak, prints its table, exits 1 on any violation.</summary>
public static class SoakCommand
{
    public static Command Build()
    {
        var minutes = new Option<double>("--minutes") { Description = "How long to submit jobs, in minutes.", DefaultValueFactory = _ => 10 };
        var rate = new Option<double>("--rate") { Description = "Jobs submitted per second.", DefaultValueFactory = _ => 2 };
        var seed = new Option<int>("--seed") { Description = "Seed of every random choice (faults, kills, cancels).", DefaultValueFactory = _ => 7 };
        var json = new Option<FileInfo?>("--json") { Description = "Also write the report as JSON to this file." };
        var command = new Command("soak", "Run jobs through the local stack while Bedrock fails and the packaged consumer is killed with SIGKILL at random, then check that nothing was lost, doubled or left behind.")
        {
            minutes, rate, seed, json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = new SoakOptions
            {
                Duration = TimeSpan.FromMinutes(parse.GetValue(minutes)),
                JobsPerSecond = parse.GetValue(rate),
                Seed = parse.GetValue(seed),
            };
            var report = await new SoakRunner(options, new SpectreProgress()).RunAsync(cancellationToken).ConfigureAwait(false);
            Print(report);
            if (parse.GetValue(json) is { } file)
            {
                await File.WriteAllTextAsync(file.FullName, ToJson(report), cancellationToken).ConfigureAwait(false);
            }

            return report.Violations.Count == 0 ? 0 : 1;
        });
        return command;
    }

    public static void Print(SoakReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var table = new Table().AddColumns("What", "Count");
        void Row(string what, object value) => table.AddRow(Markup.Escape(what), Markup.Escape(Convert.ToString(value, CultureInfo.InvariantCulture)!));
        Row("jobs submitted", report.Submitted);
        foreach (var (outcome, count) in report.ByOutcome.OrderBy(o => o.Key, StringComparer.Ordinal))
        {
            Row("  " + outcome, count);
        }

        Row("cancels requested", report.CancelsRequested);
        Row("duplicate deliveries sent", report.DuplicatesSent);
        Row("consumer processes killed (SIGKILL)", report.Kills);
        Row("consumer processes started", report.ColdStarts);
        Row("deliveries in killed invocations", report.KilledDeliveries);
        Row("Bedrock calls", report.BedrockCalls);
        Row("  throttled", report.Throttled);
        Row("  server errors and timeouts", report.ServerErrors);
        Row("Bedrock calls per succeeded job", report.CallsPerSucceededJob.ToString("0.00", CultureInfo.InvariantCulture));
        Row("paid generations per succeeded job", report.GenerationsPerSucceededJob.ToString("0.000", CultureInfo.InvariantCulture));
        Row("second generations (each after a kill)", report.SecondGenerations);
        Row("notices received (repeats included)", report.Notices);
        Row("elapsed", report.Elapsed.ToString(@"m\:ss", CultureInfo.InvariantCulture));
        Row("violations", report.Violations.Count);
        AnsiConsole.Write(table);
        foreach (var violation in report.Violations.Take(50))
        {
            AnsiConsole.MarkupLine($"[red]violation:[/] {Markup.Escape(violation)}");
        }

        AnsiConsole.MarkupLine(report.Violations.Count == 0 ? "[green]Every invariant held.[/]" : $"[red]{report.Violations.Count} violation(s).[/]");
    }

    private static string ToJson(SoakReport report) => new JsonObject
    {
        ["submitted"] = report.Submitted,
        ["byOutcome"] = new JsonObject(report.ByOutcome.Select(o => KeyValuePair.Create(o.Key, (JsonNode?)o.Value))),
        ["kills"] = report.Kills,
        ["coldStarts"] = report.ColdStarts,
        ["cancelsRequested"] = report.CancelsRequested,
        ["duplicatesSent"] = report.DuplicatesSent,
        ["killedDeliveries"] = report.KilledDeliveries,
        ["bedrockCalls"] = report.BedrockCalls,
        ["callsPerSucceededJob"] = report.CallsPerSucceededJob,
        ["generationsPerSucceededJob"] = report.GenerationsPerSucceededJob,
        ["secondGenerations"] = report.SecondGenerations,
        ["notices"] = report.Notices,
        ["elapsedSeconds"] = report.Elapsed.TotalSeconds,
        ["violations"] = new JsonArray([.. report.Violations.Select(v => (JsonNode?)v)]),
    }.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
}
