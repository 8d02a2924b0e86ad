namespace Jobs.Local.Bench;

/// <summary>Runs the chosen scenarios the chosen number of times and summarizes every figure over the runs.</summary>
public sealed class BenchRunner(BenchOptions options, IProgress<string> progress)
{
    public static IReadOnlyList<BenchScenario> All { get; } =
    [
        new BurstScenario(),
        new EfficiencyScenario(),
        new OverheadScenario(),
        new SubmitScenario(),
        new ColdStartScenario(),
        new CostScenario(),
        new BatchScenario(),
    ];

    /// <exception cref="ArgumentException">A scenario name is not one of <see cref="All"/>.</exception>
    public static IReadOnlyList<BenchScenario> Select(IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        if (names.Count == 0)
        {
            return All;
        }

        var unknown = names.Where(n => All.All(s => s.Name != n)).ToList();
        return unknown.Count > 0
            ? throw new ArgumentException($"Unknown scenario {string.Join(", ", unknown)}: one of {string.Join(", ", All.Select(s => s.Name))}.", nameof(names))
            : names.Select(n => All.First(s => s.Name == n)).ToList();
    }

    public async Task<BenchReport> RunAsync(CancellationToken cancellationToken)
    {
        var scenarios = Select(options.Scenarios);
        var started = DateTimeOffset.UtcNow;
        var measures = new List<BenchMeasure>();
        foreach (var scenario in scenarios)
        {
            for (var run = 1; run <= options.Runs; run++)
            {
                progress.Report($"{scenario.Name}: run {run} of {options.Runs}");
                measures.AddRange(await scenario.RunAsync(options, progress, cancellationToken).ConfigureAwait(false));
            }
        }

        return new BenchReport(started, DateTimeOffset.UtcNow, options, scenarios, BenchSummary.Of(measures), BenchMachine.Describe());
    }
}
