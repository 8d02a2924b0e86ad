namespace Jobs.Shared.Storage;

/// <summary>A paging cursor that this service did not issue (or that was altered), so the client gets a 400, not a 500.</summary>
public sealed class InvalidCursorException(string message) : Exception(message);
