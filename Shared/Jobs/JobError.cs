namespace Jobs.Shared.Jobs;

/// <summary>Why a job failed or was sent back, as a stable code a client can branch on and a message for people.</summary>
public sealed record JobError(string Code, string Message);
