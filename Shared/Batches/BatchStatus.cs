namespace Jobs.Shared.Batches;

/// <summary>Where a batch is: its jobs being made, made and running, or all finished.</summary>
public enum BatchStatus
{
    Expanding,
    Running,
    Completed,
    Canceled,
    /// <summary>The manifest could not be read at all (missing, not JSON, too many items).</summary>
    Failed,
}
