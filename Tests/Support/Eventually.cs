namespace Jobs.Tests.Support;

/// <summary>
/// Waits for a condition on the emulators (which run in real time) with a deadline, checking as
/// often as it is cheap to. Used only where the system under test is another process.
/// </summary>
public static class Eventually
{
    public static async Task<T> WaitForAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan timeout, string what)
    {
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(done);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        T value;
        while (!done(value = await read().ConfigureAwait(false)))
        {
            if (clock.Elapsed > timeout)
            {
                Assert.Fail($"Timed out after {timeout.TotalSeconds:0} s waiting for {what}; last value: {value}");
            }

            await Task.Delay(50).ConfigureAwait(false);
        }

        return value;
    }
}
