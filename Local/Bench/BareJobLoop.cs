using System.Text;
using System.Text.Json;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.SQS;
using Amazon.SQS.Model;
using Jobs.Consumer.Bedrock;
using Jobs.Consumer.Notices;
using Jobs.Local.Hosting;
using Jobs.Shared.Jobs;
using Jobs.Shared.Queue;
using Jobs.Shared.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Jobs.Local.Bench;

/// <summary>
/// The baseline the pipeline is held against: the AWS calls one job needs, made by a plain loop on
/// the same emulators with no API, validation, batching, pacing, retries or metrics in between.
/// Submit is PutItem + SendMessage; work is ReceiveMessage, the claiming UpdateItem, InvokeModel on
/// the fake Bedrock (its painting included, as in the pipeline), PutObject, the completing
/// UpdateItem, Publish and DeleteMessage.
/// </summary>
internal sealed class BareJobLoop(LocalStack stack)
{
    private readonly IJobStore _store = stack.Services.GetRequiredService<IJobStore>();
    private readonly IAmazonSQS _sqs = stack.Services.GetRequiredService<IAmazonSQS>();
    private readonly IAmazonS3 _s3 = stack.Services.GetRequiredService<IAmazonS3>();
    private readonly IBedrockRuntime _bedrock = stack.ConsumerServices.GetRequiredService<IBedrockRuntime>();
    private readonly IJobEvents _events = stack.ConsumerServices.GetRequiredService<IJobEvents>();
    private readonly SemaphoreSlim _creating = new(1, 1);
    private string? _queueUrl;

    /// <summary>
    /// A queue of the loop's own on the same fauxqs: the stack's poller, even stopped, may hold a
    /// long poll on the jobs queue that would hide the loop's messages for a visibility timeout.
    /// </summary>
    private async Task<string> QueueAsync(CancellationToken cancellationToken)
    {
        if (_queueUrl is { } url)
        {
            return url;
        }

        await _creating.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return _queueUrl ??= (await _sqs.CreateQueueAsync($"bench-bare-{Guid.NewGuid():N}", cancellationToken).ConfigureAwait(false)).QueueUrl;
        }
        finally
        {
            _creating.Release();
        }
    }

    /// <summary>The bare submit: the job's item, then its message.</summary>
    public async Task<string> SubmitAsync(string prompt, CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow;
        var job = new Job
        {
            Id = JobIds.New(TimeProvider.System),
            Status = JobStatus.Queued,
            Request = new JobRequest { Prompt = prompt, Model = Shared.Models.ModelCatalog.Default.DefaultModelId, AspectRatio = "1:1", Seed = 7 },
            CreatedAt = now,
            UpdatedAt = now,
            ExpiresAt = now.AddDays(30),
            DueAt = now,
        };
        await _store.CreateAsync(job, cancellationToken).ConfigureAwait(false);
        await _sqs.SendMessageAsync(await QueueAsync(cancellationToken).ConfigureAwait(false), $"{{\"jobId\":\"{job.Id}\",\"dispatch\":1}}", cancellationToken).ConfigureAwait(false);
        return job.Id;
    }

    /// <summary>Runs <paramref name="count"/> jobs through the bare calls with <paramref name="workers"/> loops; returns the seconds it took.</summary>
    public async Task<double> RunAsync(int count, int workers, CancellationToken cancellationToken)
    {
        var started = DateTimeOffset.UtcNow;
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = workers, CancellationToken = cancellationToken }, async (i, token) =>
            await SubmitAsync($"bare job {i} {Guid.NewGuid():N}", token).ConfigureAwait(false)).ConfigureAwait(false);
        var done = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, workers), new ParallelOptions { MaxDegreeOfParallelism = workers, CancellationToken = cancellationToken }, async (_, token) =>
        {
            while (Volatile.Read(ref done) < count)
            {
                var received = await _sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = await QueueAsync(token).ConfigureAwait(false), MaxNumberOfMessages = 1, WaitTimeSeconds = 1 }, token).ConfigureAwait(false);
                foreach (var message in received.Messages ?? [])
                {
                    await WorkAsync(message, token).ConfigureAwait(false);
                    Interlocked.Increment(ref done);
                }
            }
        }).ConfigureAwait(false);
        return (DateTimeOffset.UtcNow - started).TotalSeconds;
    }

    private async Task WorkAsync(Message message, CancellationToken cancellationToken)
    {
        var jobId = JsonDocument.Parse(message.Body).RootElement.GetProperty("jobId").GetString()!;
        var now = DateTimeOffset.UtcNow;
        var claimed = await _store.ClaimAsync(jobId, 1, now.AddMinutes(1), now, cancellationToken).ConfigureAwait(false);
        var job = claimed.IsApplied ? claimed.Job! : throw new InvalidOperationException($"The bare loop's claim of {jobId} was {claimed}.");
        var body = Encoding.UTF8.GetBytes($"{{\"prompt\":{JsonSerializer.Serialize(job.Request.Prompt)},\"aspect_ratio\":\"1:1\",\"seed\":7,\"output_format\":\"png\"}}");
        var answer = await _bedrock.InvokeModelAsync(job.Request.Model, body, cancellationToken).ConfigureAwait(false);
        var png = Convert.FromBase64String(JsonDocument.Parse(answer).RootElement.GetProperty("images")[0].GetString()!);
        var key = $"images/{jobId}/0.png";
        using (var content = new MemoryStream(png))
        {
            await _s3.PutObjectAsync(new PutObjectRequest { BucketName = stack.Options.BucketName, Key = key, InputStream = content, ContentType = "image/png" }, cancellationToken).ConfigureAwait(false);
        }

        var completed = await _store.CompleteAsync(jobId, job.Attempts, [new JobImage(stack.Options.BucketName, key, "-", png.Length, 1024, 1024, 7)], DateTimeOffset.UtcNow, cancellationToken).ConfigureAwait(false);
        await _events.PublishAsync(JobNotices.For(completed.Job!), cancellationToken).ConfigureAwait(false);
        await _sqs.DeleteMessageAsync(await QueueAsync(cancellationToken).ConfigureAwait(false), message.ReceiptHandle, cancellationToken).ConfigureAwait(false);
    }
}
