namespace Jobs.Producer.Jobs;

/// <summary>
/// Where to go next with a job, so a client follows links instead of building paths: the job
/// itself, its cancel (while it can still be canceled) and each image's download.
/// </summary>
public sealed record JobUrls(string Self, string? Cancel, IReadOnlyList<Uri> Images);
