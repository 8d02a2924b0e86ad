using System.Text.Json;
using Amazon.SQS;
using Amazon.SQS.Model;

namespace Jobs.Local.Cli;

/// <summary>
/// Reads SNS notices from the queue subscribed to the job-events topic and keeps every one it has
/// read, so a caller can wait for a notice and also count repeats.
/// </summary>
public sealed class NoticeInbox(IAmazonSQS sqs, string queueUrl)
{
    private readonly List<ReceivedNotice> _received = [];
    private readonly SemaphoreSlim _drain = new(1, 1);

    /// <summary>Every notice read so far.</summary>
    public IReadOnlyList<ReceivedNotice> Received
    {
        get
        {
            lock (_received)
            {
                return [.. _received];
            }
        }
    }

    /// <summary>Reads the queue (long polling) until a notice for the job and type has arrived, or the timeout passes.</summary>
    public async Task<ReceivedNotice?> WaitForAsync(string jobId, string type, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            while (true)
            {
                if (Received.FirstOrDefault(n => n.JobId == jobId && n.Type == type) is { } found)
                {
                    return found;
                }

                await DrainOnceAsync(deadline.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>Reads whatever is in the queue now, waiting at most one long poll.</summary>
    public async Task DrainOnceAsync(CancellationToken cancellationToken)
    {
        await _drain.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var received = await sqs.ReceiveMessageAsync(new ReceiveMessageRequest
            {
                QueueUrl = queueUrl,
                MaxNumberOfMessages = 10,
                WaitTimeSeconds = 1,
            }, cancellationToken).ConfigureAwait(false);
            foreach (var message in received.Messages ?? [])
            {
                var notice = ReceivedNotice.Parse(message.Body);
                lock (_received)
                {
                    _received.Add(notice);
                }

                await sqs.DeleteMessageAsync(queueUrl, message.ReceiptHandle, CancellationToken.None).ConfigureAwait(false);
            }
        }
        finally
        {
            _drain.Release();
        }
    }
}
