using System.CommandLine;
using System.Globalization;
using Jobs.Local.Cli;
using Spectre.Console;

namespace Jobs.Local.Bench;

/// <summary><c>Local bench [scenario…] --runs 3</c>: runs the benchmark on the local stack, prints its table and writes JSON.</summary>
public static class BenchCommand
{
    public static Command Build()
    {
        var scenarios = new Argument<string[]>("scenario")
        {
            Description = "Scenarios to run (default all): " + string.Join(", ", BenchRunner.All.Select(s => s.Name)) + ".",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var runs = new Option<int>("--runs") { Description = "Runs of each scenario; each figure is their median.", DefaultValueFactory = _ => 3 };
        var scale = new Option<double>("--scale") { Description = "Multiplies each scenario's job count (1 = the sizes BENCHMARKS.md reports).", DefaultValueFactory = _ => 1 };
        var json = new Option<FileInfo>("--json") { Description = "Where to write the JSON report.", DefaultValueFactory = _ => new FileInfo(Path.Combine(Jobs.Local.LambdaRuntime.LambdaPackages.RepositoryRoot, "artifacts", "bench", "bench.json")) };
        var command = new Command("bench", "Measure the service on the local stack: each figure the median of several runs, beside a baseline measured in the same run.")
        {
            scenarios, runs, scale, json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            BenchOptions options;
            try
            {
                options = new BenchOptions
                {
                    Scenarios = parse.GetValue(scenarios) ?? [],
                    Runs = parse.GetValue(runs) is var r and >= 1 ? r : throw new ArgumentException("--runs must be 1 or more."),
                    Scale = parse.GetValue(scale) is var s and > 0 ? s : throw new ArgumentException("--scale must be positive."),
                    JsonPath = parse.GetValue(json)!.FullName,
                };
                BenchRunner.Select(options.Scenarios);
            }
            catch (ArgumentException ex)
            {
                AnsiConsole.MarkupLine($"[red]{Markup.Escape(ex.Message)}[/]");
                return 2;
            }

            var report = await new BenchRunner(options, new SpectreProgress()).RunAsync(cancellationToken).ConfigureAwait(false);
            Directory.CreateDirectory(Path.GetDirectoryName(options.JsonPath)!);
            await File.WriteAllTextAsync(options.JsonPath, report.ToJson(), cancellationToken).ConfigureAwait(false);
            report.Print();
            AnsiConsole.MarkupLine($"JSON: {Markup.Escape(options.JsonPath)} ({report.Figures.Count.ToString(CultureInfo.InvariantCulture)} figures)");
            return 0;
        });
        return command;
    }
}
