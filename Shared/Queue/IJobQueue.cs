namespace Jobs.Shared.Queue;

/// <summary>Hands a job to the consumer.</summary>
public interface IJobQueue
{
    /// <summary>Sends the job's message, visible after <paramref name="delay"/> (SQS allows up to 15 minutes).</summary>
    Task EnqueueAsync(JobMessage message, TimeSpan delay, CancellationToken cancellationToken);

    /// <summary>Sends many jobs' messages, ten to a request; throws if any could not be sent (sending again is harmless: a duplicate is a stale copy).</summary>
    Task EnqueueManyAsync(IReadOnlyList<JobMessage> messages, CancellationToken cancellationToken);

    /// <summary>Sends the message that moves a batch to its next step.</summary>
    Task EnqueueBatchStepAsync(Batches.BatchMessage message, CancellationToken cancellationToken);
}
