namespace Jobs.Local.Bench;

/// <summary>The median, min and max of a figure over runs, and how many runs there were.</summary>
public sealed record BenchSpread(double Median, double Min, double Max, int Runs)
{
    public static BenchSpread Of(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        if (sorted.Count == 0)
        {
            throw new ArgumentException("No values.", nameof(values));
        }

        return new BenchSpread(Percentile(sorted, 0.5), sorted[0], sorted[^1], sorted.Count);
    }

    /// <summary>The <paramref name="p"/> quantile of sorted values, interpolated between neighbours.</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double p)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        if (sorted.Count == 1)
        {
            return sorted[0];
        }

        var position = p * (sorted.Count - 1);
        var below = (int)Math.Floor(position);
        var above = Math.Min(below + 1, sorted.Count - 1);
        return sorted[below] + ((sorted[above] - sorted[below]) * (position - below));
    }
}
