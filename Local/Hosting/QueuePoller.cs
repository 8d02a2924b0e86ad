using Amazon.SQS;
using Amazon.SQS.Model;
using Jobs.Shared.Lambda;

namespace Jobs.Local.Hosting;

/// <summary>
/// Feeds SQS batches to the consumer the way Lambda's event source mapping does with
/// <c>ReportBatchItemFailures</c>: delete what succeeded, leave the rest to reappear after the
/// visibility timeout, and leave the whole batch when the invocation fails or is killed.
/// <see cref="Crash"/> kills the invocations in flight as a crashed Lambda would end.
/// </summary>
public sealed class QueuePoller(IAmazonSQS sqs, string queueUrl, string queueArn, ConsumerInvoker consumer, QueuePollerOptions options, TimeProvider time) : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private CancellationTokenSource? _running;
    private Task[] _loops = [];
    private CancellationTokenSource _invocations = new();
    private int _batches;
    private long _invocationTicks;

    /// <summary>Batches handed to the consumer so far.</summary>
    public int Batches => Volatile.Read(ref _batches);

    /// <summary>The invocations' durations added up: what Lambda would bill for this mapping's work.</summary>
    public TimeSpan InvocationTime => TimeSpan.FromTicks(Interlocked.Read(ref _invocationTicks));

    /// <summary>Called after each batch with its size (the soak counts deliveries with it).</summary>
    public Action<int>? BatchDone { get; set; }

    public void Start()
    {
        lock (_gate)
        {
            if (_running is not null)
            {
                return;
            }

            _running = new CancellationTokenSource();
            var token = _running.Token;
            _loops = Enumerable.Range(0, Math.Max(1, options.Concurrency)).Select(_ => Task.Run(() => LoopAsync(token))).ToArray();
        }
    }

    /// <summary>Stops polling after the invocations in flight finish.</summary>
    public async Task StopAsync()
    {
        Task[] loops;
        lock (_gate)
        {
            if (_running is null)
            {
                return;
            }

            _running.Cancel();
            loops = _loops;
        }

        await Task.WhenAll(loops).ConfigureAwait(false);
        lock (_gate)
        {
            _running.Dispose();
            _running = null;
        }
    }

    /// <summary>
    /// Ends every invocation in flight at once, without deleting or changing any message, as when
    /// a Lambda instance dies; polling goes on with fresh invocations.
    /// </summary>
    public void Crash()
    {
        CancellationTokenSource killed;
        lock (_gate)
        {
            killed = _invocations;
            _invocations = new CancellationTokenSource();
        }

        killed.Cancel();
    }

    private async Task LoopAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            ReceiveMessageResponse received;
            try
            {
                received = await sqs.ReceiveMessageAsync(new ReceiveMessageRequest
                {
                    QueueUrl = queueUrl,
                    MaxNumberOfMessages = Math.Clamp(options.BatchSize, 1, 10),
                    WaitTimeSeconds = 1,
                    MessageSystemAttributeNames = ["All"],
                    MessageAttributeNames = ["All"],
                }, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }

            if (received.Messages is not { Count: > 0 } messages)
            {
                continue;
            }

            Interlocked.Increment(ref _batches);
            await InvokeAsync(messages).ConfigureAwait(false);
            BatchDone?.Invoke(messages.Count);
        }
    }

    private async Task InvokeAsync(List<Message> messages)
    {
        CancellationToken killed;
        lock (_gate)
        {
            killed = _invocations.Token;
        }

        using var timeout = new CancellationTokenSource(options.FunctionTimeout, time);
        using var invocation = CancellationTokenSource.CreateLinkedTokenSource(killed, timeout.Token);
        var context = new LambdaContext(Guid.NewGuid().ToString(), time.GetUtcNow() + options.FunctionTimeout, "arn:aws:lambda:local:000000000000:function:consumer", null);
        SqsBatchResponse response;
        var started = time.GetTimestamp();
        try
        {
            response = await consumer(ToEvent(messages), context, invocation.Token).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // A failed, timed-out or killed invocation deletes nothing: every message comes back.
            return;
        }
        finally
        {
            Interlocked.Add(ref _invocationTicks, time.GetElapsedTime(started).Ticks);
        }

        if (killed.IsCancellationRequested)
        {
            return;
        }

        var failed = response.BatchItemFailures.Select(f => f.ItemIdentifier).ToHashSet(StringComparer.Ordinal);
        var done = messages.Where(m => !failed.Contains(m.MessageId)).ToList();
        if (done.Count > 0)
        {
            await sqs.DeleteMessageBatchAsync(new DeleteMessageBatchRequest
            {
                QueueUrl = queueUrl,
                Entries = done.Select((m, i) => new DeleteMessageBatchRequestEntry(i.ToString(System.Globalization.CultureInfo.InvariantCulture), m.ReceiptHandle)).ToList(),
            }).ConfigureAwait(false);
        }
    }

    private SqsEvent ToEvent(List<Message> messages) => new()
    {
        Records = messages.Select(m => new SqsEventMessage
        {
            MessageId = m.MessageId,
            ReceiptHandle = m.ReceiptHandle,
            Body = m.Body,
            Md5OfBody = m.MD5OfBody,
            Attributes = m.Attributes ?? new Dictionary<string, string>(),
            MessageAttributes = (m.MessageAttributes ?? []).ToDictionary(
                a => a.Key,
                a => new SqsEventMessageAttribute { StringValue = a.Value.StringValue, DataType = a.Value.DataType }),
            EventSourceArn = queueArn,
            AwsRegion = "us-east-1",
        }).ToList(),
    };

    public async ValueTask DisposeAsync()
    {
        Crash();
        await StopAsync().ConfigureAwait(false);
        _invocations.Dispose();
    }
}
