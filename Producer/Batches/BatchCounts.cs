namespace Jobs.Producer.Batches;

/// <summary>
/// A batch's items by where they are. <c>Pending</c> is made jobs not yet finished; each finished job
/// is counted once, in one transaction with a mark on the job, so the counts are exact under
/// redelivery and crashes.
/// </summary>
public sealed record BatchCounts(int Created, int Pending, int Succeeded, int Failed, int Canceled, int Invalid, int Skipped);
