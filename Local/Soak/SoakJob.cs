using System.Collections.Concurrent;

namespace Jobs.Local.Soak;

/// <summary>One job of the soak and what the soak did to it: the faults it can be judged by.</summary>
public sealed class SoakJob(string id, string prompt, string model, int count, bool filtered)
{
    private readonly ConcurrentQueue<DateTimeOffset> _killedDeliveries = new();

    public string Id { get; } = id;
    public string Prompt { get; } = prompt;
    public string Model { get; } = model;
    public int Count { get; } = count;

    /// <summary>The prompt carries the fake Bedrock's content-filter word.</summary>
    public bool Filtered { get; } = filtered;

    public bool CancelRequested { get; set; }

    public int DuplicatesSent { get; set; }

    /// <summary>When each invocation that held one of the job's messages was killed.</summary>
    public IReadOnlyList<DateTimeOffset> KilledDeliveries => [.. _killedDeliveries];

    public void Killed(DateTimeOffset at) => _killedDeliveries.Enqueue(at);
}
