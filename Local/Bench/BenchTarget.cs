namespace Jobs.Local.Bench;

/// <summary>
/// A figure's goal: its median (of the value, or of the ratio to its baseline) at most or at least
/// <see cref="Limit"/>. The report says which targets are met; the test command never judges speed.
/// </summary>
public sealed record BenchTarget(string Text, bool OnRatio, bool AtMost, double Limit)
{
    public static BenchTarget RatioAtMost(double limit, string text) => new(text, true, true, limit);

    public static BenchTarget RatioAtLeast(double limit, string text) => new(text, true, false, limit);

    public static BenchTarget ValueAtMost(double limit, string text) => new(text, false, true, limit);

    public static BenchTarget ValueAtLeast(double limit, string text) => new(text, false, false, limit);

    public bool IsMetBy(double value) => AtMost ? value <= Limit : value >= Limit;
}
