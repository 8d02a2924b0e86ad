namespace Jobs.Local.FakeBedrock;

/// <summary>Which content filter, if any, a call trips.</summary>
public enum FakeFilter
{
    None,
    Prompt,
    Output,
}
