using System.Text.Json.Serialization;
using Jobs.Consumer.Reconciliation;
using Jobs.Shared.Lambda;

namespace Jobs.Consumer;

/// <summary>
/// What the consumer is invoked with: an SQS batch from an event source mapping (the jobs queue or
/// its dead-letter queue), or the reconciler's schedule, whose input is <c>{"reconcile": {…}}</c>.
/// One function serves both, so the service has no third function to deploy.
/// </summary>
public sealed record ConsumerEvent
{
    private readonly IReadOnlyList<SqsEventMessage> _records = [];

    /// <summary>The SQS batch; absent or null on a scheduled invocation.</summary>
    [JsonPropertyName("Records")]
    public IReadOnlyList<SqsEventMessage> Records
    {
        get => _records;
        init => _records = value ?? [];
    }

    /// <summary>Set by the reconciler's EventBridge Scheduler schedule.</summary>
    [JsonPropertyName("reconcile")]
    public ReconcileRequest? Reconcile { get; init; }

    /// <summary>Set by a <c>jobs:schedules</c> schedule: start this run's batch.</summary>
    [JsonPropertyName("scheduledBatch")]
    public Batches.ScheduledBatchRequest? ScheduledBatch { get; init; }
}
