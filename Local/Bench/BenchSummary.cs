namespace Jobs.Local.Bench;

/// <summary>One figure over all runs: median, min and max of the value, its baseline and their ratio; and whether its target is met.</summary>
public sealed record BenchSummary(
    string Scenario,
    string Figure,
    string Unit,
    BenchSpread Value,
    BenchSpread? Baseline,
    string? BaselineName,
    BenchSpread? Ratio,
    BenchTarget? Target)
{
    /// <summary>Null when the figure has no target.</summary>
    public bool? Met => Target is null ? null : Target.IsMetBy(Target.OnRatio ? Ratio?.Median ?? double.NaN : Value.Median);

    public static IReadOnlyList<BenchSummary> Of(IEnumerable<BenchMeasure> measures) =>
        measures
            .GroupBy(m => (m.Scenario, m.Figure))
            .Select(g =>
            {
                var list = g.ToList();
                var baselines = list.Where(m => m.Baseline is not null).Select(m => m.Baseline!.Value).ToList();
                var ratios = list.Where(m => m.Ratio is not null).Select(m => m.Ratio!.Value).ToList();
                return new BenchSummary(
                    g.Key.Scenario,
                    g.Key.Figure,
                    list[0].Unit,
                    BenchSpread.Of(list.Select(m => m.Value)),
                    baselines.Count > 0 ? BenchSpread.Of(baselines) : null,
                    list[0].BaselineName,
                    ratios.Count > 0 ? BenchSpread.Of(ratios) : null,
                    list[0].Target);
            })
            .ToList();
}
