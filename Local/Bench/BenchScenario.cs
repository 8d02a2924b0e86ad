namespace Jobs.Local.Bench;

/// <summary>
/// One benchmark scenario. Each run starts from a fresh local stack and measures the subject and
/// its baseline in the same run, so both see the same machine.
/// </summary>
public abstract class BenchScenario
{
    /// <summary>The name the command line takes.</summary>
    public abstract string Name { get; }

    /// <summary>What it measures, in one line.</summary>
    public abstract string Title { get; }

    public abstract Task<IReadOnlyList<BenchMeasure>> RunAsync(BenchOptions options, IProgress<string> progress, CancellationToken cancellationToken);
}
