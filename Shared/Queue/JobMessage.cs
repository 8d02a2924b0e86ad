namespace Jobs.Shared.Queue;

/// <summary>
/// The queue message: only the job id. The job item holds everything else, so a message can never
/// disagree with the job it names.
/// </summary>
public sealed record JobMessage(string JobId);
