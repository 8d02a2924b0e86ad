using Jobs.Shared.Jobs;

namespace Jobs.Consumer.Inputs;

/// <summary>An input of a job with the bytes read for this call.</summary>
public sealed record InputImage(JobInput Input, byte[] Bytes);
