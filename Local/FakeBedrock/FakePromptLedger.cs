using System.Collections.Concurrent;

namespace Jobs.Local.FakeBedrock;

/// <summary>
/// What the fake Bedrock did for one prompt. The soak reads it to judge each job: how many calls it
/// cost, how many failed and how, and when each paid generation happened (a second one is allowed
/// only where a worker was killed after the first).
/// </summary>
public sealed class FakePromptLedger
{
    private readonly ConcurrentDictionary<string, int> _failures = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<FakeGeneration> _generations = new();
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    public IReadOnlyDictionary<string, int> Failures => _failures;

    /// <summary>Each answer with images (a paid call), in order: when the call came in and when it was answered.</summary>
    public IReadOnlyList<FakeGeneration> Generations => [.. _generations];

    public int FailuresOf(params string[] types) => types.Sum(t => _failures.TryGetValue(t, out var n) ? n : 0);

    internal void Called() => Interlocked.Increment(ref _calls);

    internal void Failed(string type) => _failures.AddOrUpdate(type, 1, (_, n) => n + 1);

    internal void Generated(DateTimeOffset calledAt, DateTimeOffset answeredAt) => _generations.Enqueue(new FakeGeneration(calledAt, answeredAt));
}
