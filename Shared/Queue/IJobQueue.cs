namespace Jobs.Shared.Queue;

/// <summary>Hands a job to the consumer.</summary>
public interface IJobQueue
{
    /// <summary>Sends the job's message, visible after <paramref name="delay"/> (SQS allows up to 15 minutes).</summary>
    Task EnqueueAsync(JobMessage message, TimeSpan delay, CancellationToken cancellationToken);
}
