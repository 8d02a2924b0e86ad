namespace Jobs.Local.FakeBedrock;

/// <summary>How the fake Bedrock counts a model's quota.</summary>
public enum FakeQuotaMode
{
    /// <summary>A bucket per model holding one window's quota, refilled continuously: a burst empties it, then calls go at the quota's pace.</summary>
    TokenBucket,

    /// <summary>A fixed window per model starting at its first call: flatters bursts, kept to compare.</summary>
    FixedWindow,
}
