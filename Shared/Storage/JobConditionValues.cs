namespace Jobs.Shared.Storage;

/// <summary>The values an event's guards compare against: the message's dispatch, the writer's attempt, the time of the write.</summary>
public sealed record JobConditionValues
{
    public int? Dispatch { get; init; }
    public int? Attempt { get; init; }
    public DateTimeOffset? Now { get; init; }
}
