namespace Jobs.Consumer.Bedrock;

/// <summary>One image a model returned, with the seed it used (so a client can reproduce it).</summary>
public sealed record GeneratedImage(byte[] Content, long Seed);
