namespace Jobs.Shared.Storage;

/// <summary>The status index's last evaluated key, carried opaquely by clients between pages.</summary>
public sealed record JobCursor(string JobId, string Status, string CreatedAt);
