namespace Jobs.Consumer.Notices;

/// <summary>Tells subscribers (email, webhooks, queues) that a job reached a final status.</summary>
public interface IJobEvents
{
    Task PublishAsync(JobNotice notice, CancellationToken cancellationToken);

    /// <summary>Tells subscribers a batch's last job ended, with its counts.</summary>
    Task PublishAsync(BatchNotice notice, CancellationToken cancellationToken);
}
