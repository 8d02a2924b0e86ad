namespace Jobs.Producer.Batches;

public sealed record BatchUrls(string Self, string? Cancel);
