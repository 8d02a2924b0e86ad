using System.Collections.Concurrent;

namespace Jobs.Local.AwsCalls;

/// <summary>
/// Keeps every AWS call the local functions make, for the IAM coverage test (is each one allowed
/// by the function's role?) and the benchmark (how many calls does a job cost?).
/// </summary>
public sealed class AwsCallRecorder
{
    private readonly ConcurrentQueue<RecordedAwsCall> _calls = new();

    /// <summary>Ask DynamoDB for each request's consumed capacity (<see cref="RecordedAwsCall.CapacityUnits"/>).</summary>
    public bool MeasureCapacity { get; init; }

    public void Add(RecordedAwsCall call) => _calls.Enqueue(call);

    /// <summary>Forgets the calls recorded so far (a benchmark counts one phase at a time).</summary>
    public void Clear() => _calls.Clear();

    /// <summary>Every call recorded so far, in the order they were answered.</summary>
    public IReadOnlyList<RecordedAwsCall> Calls => [.. _calls];

    /// <summary>A handler for <paramref name="function"/>'s AWS clients that records into this recorder.</summary>
    public Func<HttpMessageHandler, HttpMessageHandler> HandlerFor(string function) =>
        inner => new AwsCallRecordingHandler(function, this, inner);
}
