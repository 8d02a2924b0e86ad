using Jobs.Consumer.Notices;

namespace Jobs.Tests.Support;

/// <summary>The real SNS publisher, with a crash right after the notice is published (before it is recorded as sent).</summary>
public sealed class CrashingJobEvents(IJobEvents inner, CrashPoint crash) : IJobEvents
{
    public async Task PublishAsync(JobNotice notice, CancellationToken cancellationToken)
    {
        await inner.PublishAsync(notice, cancellationToken).ConfigureAwait(false);
        crash.After();
    }

    public Task PublishAsync(BatchNotice notice, CancellationToken cancellationToken) => inner.PublishAsync(notice, cancellationToken);
}
