using System.Text.Json.Serialization;

namespace Jobs.Consumer.Reconciliation;

/// <summary>The input of the reconciler's schedule; <see cref="ScheduledTime"/> is the scheduler's <c>&lt;aws.scheduler.scheduled-time&gt;</c>.</summary>
public sealed record ReconcileRequest
{
    [JsonPropertyName("scheduledTime")] public string? ScheduledTime { get; init; }
}
