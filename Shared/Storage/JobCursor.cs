namespace Jobs.Shared.Storage;

/// <summary>The listing index's last evaluated key, carried opaquely by clients between pages.</summary>
public sealed record JobCursor(string JobId, string Listing, string OwnerCreated);
