namespace Jobs.Consumer.Pacing;

/// <summary>A caller's turn in a model's pace: the slot, and whether it was reserved for the caller (a batch job beyond the horizon gets only the hint).</summary>
public readonly record struct PaceClaim(DateTimeOffset Slot, bool Reserved);
