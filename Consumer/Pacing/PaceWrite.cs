namespace Jobs.Consumer.Pacing;

/// <summary>What a conditional pace write did: written, or refused with the bucket as it now is (null when there is none).</summary>
public sealed record PaceWrite(bool Written, PaceState? Current);
