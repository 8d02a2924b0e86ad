using Jobs.Shared.Models;

namespace Jobs.Local.FakeBedrock;

/// <summary>A call after the family has read and checked its body: what to paint, and how to answer.</summary>
public sealed record FakeRequest(string Prompt, long Seed, int Count, ImageSize Size, Func<IReadOnlyList<(byte[] Png, long Seed)>, FakeFilter, FakeAnswer> Answer)
{
    /// <summary>For a task that reads an image: the i-th answer derived from the input, instead of a painting from the prompt.</summary>
    public Func<int, byte[]>? Render { get; init; }
}
