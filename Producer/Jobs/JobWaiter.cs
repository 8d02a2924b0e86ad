using Jobs.Shared.Jobs;
using Jobs.Shared.Storage;

namespace Jobs.Producer.Jobs;

/// <summary>
/// Holds an answer until its job is final or the client's wait is over, reading the job again
/// with growing pauses (0.25 s doubling to 2 s: about a dozen reads in 25 seconds). It never
/// outlives the invocation: it stops two seconds before the Lambda's deadline.
/// </summary>
public sealed class JobWaiter(IJobStore store, TimeProvider time)
{
    private static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan LongestPause = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan DeadlineMargin = TimeSpan.FromSeconds(2);

    /// <summary>The job once final, or as it is when the wait (or the invocation) runs out.</summary>
    public async Task<Job> WaitAsync(Job job, TimeSpan wait, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var until = Min(time.GetUtcNow() + wait, deadline - DeadlineMargin);
        var pause = FirstPause;
        while (!job.Status.IsTerminal() && time.GetUtcNow() + pause <= until)
        {
            await Task.Delay(pause, time, cancellationToken).ConfigureAwait(false);
            job = await store.GetAsync(job.Id, cancellationToken).ConfigureAwait(false) ?? job;
            pause = Min(pause * 2, LongestPause);
        }

        return job;
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
