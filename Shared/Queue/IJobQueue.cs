namespace Jobs.Shared.Queue;

/// <summary>Hands a job to the consumer.</summary>
public interface IJobQueue
{
    Task EnqueueAsync(JobMessage message, CancellationToken cancellationToken);
}
