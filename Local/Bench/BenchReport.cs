using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;

namespace Jobs.Local.Bench;

/// <summary>The benchmark's result: every figure's median, min and max over the runs, beside its baseline, with its target.</summary>
public sealed record BenchReport(
    DateTimeOffset Started,
    DateTimeOffset Finished,
    BenchOptions Options,
    IReadOnlyList<BenchScenario> Scenarios,
    IReadOnlyList<BenchSummary> Figures,
    string Machine)
{
    public void Print()
    {
        AnsiConsole.MarkupLine($"[bold]Jobs benchmark[/] {Started:yyyy-MM-dd HH:mm} UTC, {Options.Runs} run(s) per scenario, scale {Options.Scale.ToString(CultureInfo.InvariantCulture)}");
        AnsiConsole.MarkupLine(Markup.Escape(Machine));
        foreach (var scenario in Scenarios)
        {
            var table = new Table().Title(Markup.Escape(scenario.Title)).AddColumns("Figure", "Median [[min – max]]", "Baseline median", "Ratio median [[min – max]]", "Target");
            foreach (var figure in Figures.Where(f => f.Scenario == scenario.Name))
            {
                table.AddRow(
                    Markup.Escape(figure.Figure),
                    Markup.Escape($"{Spread(figure.Value)} {figure.Unit}"),
                    Markup.Escape(figure.Baseline is { } b ? $"{Number(b.Median)} {figure.Unit} ({figure.BaselineName})" : "–"),
                    Markup.Escape(figure.Ratio is { } r ? Spread(r) + "×" : "–"),
                    figure.Target is null ? "–" : (figure.Met == true ? "[green]" : "[red]") + Markup.Escape(figure.Target.Text + (figure.Met == true ? " met" : " missed")) + "[/]");
            }

            AnsiConsole.Write(table);
        }
    }

    public string ToJson() => new JsonObject
    {
        ["started"] = Started.ToString("O", CultureInfo.InvariantCulture),
        ["finished"] = Finished.ToString("O", CultureInfo.InvariantCulture),
        ["machine"] = Machine,
        ["runs"] = Options.Runs,
        ["scale"] = Options.Scale,
        ["figures"] = new JsonArray(Figures.Select(f => (JsonNode)new JsonObject
        {
            ["scenario"] = f.Scenario,
            ["figure"] = f.Figure,
            ["unit"] = f.Unit,
            ["value"] = Json(f.Value),
            ["baseline"] = f.Baseline is null ? null : Json(f.Baseline),
            ["baselineName"] = f.BaselineName,
            ["ratio"] = f.Ratio is null ? null : Json(f.Ratio),
            ["target"] = f.Target?.Text,
            ["met"] = f.Met,
        }).ToArray()),
    }.ToJsonString(new JsonSerializerOptions { WriteIndented = true });

    private static JsonObject Json(BenchSpread s) => new() { ["median"] = s.Median, ["min"] = s.Min, ["max"] = s.Max, ["runs"] = s.Runs };

    private static string Spread(BenchSpread s) => s.Runs == 1 ? Number(s.Median) : $"{Number(s.Median)} [{Number(s.Min)} – {Number(s.Max)}]";

    private static string Number(double value) => Math.Abs(value) switch
    {
        0 => "0",
        >= 100 => value.ToString("0", CultureInfo.InvariantCulture),
        >= 1 => value.ToString("0.00", CultureInfo.InvariantCulture),
        >= 0.001 => value.ToString("0.0000", CultureInfo.InvariantCulture),
        _ => value.ToString("0.000e0", CultureInfo.InvariantCulture),
    };
}
