namespace Jobs.Local.Bench;

/// <summary>
/// One figure of one run, beside its baseline measured in the same run (this machine is shared
/// and noisy, so a ratio to a baseline means more than a number on its own). A figure without a
/// baseline is a count, not a speed.
/// </summary>
public sealed record BenchMeasure(string Scenario, string Figure, string Unit, double Value, double? Baseline = null, string? BaselineName = null, BenchTarget? Target = null)
{
    /// <summary>Value ÷ baseline, when there is a baseline.</summary>
    public double? Ratio => Baseline is { } b && b != 0 ? Value / b : null;
}
