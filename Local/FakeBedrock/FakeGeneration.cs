namespace Jobs.Local.FakeBedrock;

/// <summary>
/// One paid generation: when the call came in and when its images were sent. A caller that dies
/// between the two has still paid, which is why the soak judges kills against <see cref="CalledAt"/>.
/// </summary>
public sealed record FakeGeneration(DateTimeOffset CalledAt, DateTimeOffset AnsweredAt);
