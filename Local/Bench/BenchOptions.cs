namespace Jobs.Local.Bench;

/// <summary>How the benchmark runs: which scenarios, how many times each, and how big.</summary>
public sealed class BenchOptions
{
    /// <summary>Scenario names to run, in order; empty runs them all.</summary>
    public IReadOnlyList<string> Scenarios { get; init; } = [];

    /// <summary>Runs of each scenario; every figure is the median over them. At least 3 for a report.</summary>
    public int Runs { get; init; } = 3;

    /// <summary>
    /// Multiplies each scenario's job count (1 is the sizes the issue fixes). The test command runs
    /// one scenario at a small scale only to keep the command working; its figures mean nothing.
    /// </summary>
    public double Scale { get; init; } = 1;

    /// <summary>Where the JSON report goes. Default <c>artifacts/bench/bench.json</c>.</summary>
    public string JsonPath { get; init; } = Path.Combine("artifacts", "bench", "bench.json");

    /// <summary>The job count of a scenario sized <paramref name="full"/> at scale 1 (never below <paramref name="least"/>).</summary>
    public int Jobs(int full, int least = 4) => Math.Max(least, (int)Math.Round(full * Scale));
}
