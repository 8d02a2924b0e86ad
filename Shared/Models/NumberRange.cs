namespace Jobs.Shared.Models;

/// <summary>An inclusive numeric range with the value the model uses when the request leaves it out.</summary>
public sealed record NumberRange(double Min, double Max, double Default)
{
    public bool Contains(double value) => value >= Min && value <= Max;
}
