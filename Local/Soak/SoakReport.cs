namespace Jobs.Local.Soak;

/// <summary>What a soak run did and found; <see cref="Violations"/> is empty when every invariant held.</summary>
public sealed record SoakReport
{
    public required int Submitted { get; init; }
    public required IReadOnlyDictionary<string, int> ByOutcome { get; init; }
    public required int Kills { get; init; }
    public required int ColdStarts { get; init; }
    public required int CancelsRequested { get; init; }
    public required int DuplicatesSent { get; init; }
    public required int KilledDeliveries { get; init; }
    public required int BedrockCalls { get; init; }
    public required double CallsPerSucceededJob { get; init; }
    public required double GenerationsPerSucceededJob { get; init; }
    public required int SecondGenerations { get; init; }
    public required int Throttled { get; init; }
    public required int ServerErrors { get; init; }
    public required int Notices { get; init; }
    public required TimeSpan Elapsed { get; init; }
    public required IReadOnlyList<string> Violations { get; init; }
}
