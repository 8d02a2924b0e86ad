using System.Security.Cryptography;
using System.Text.Json;
using Jobs.Consumer.Batch;
using Jobs.Shared.Bedrock;
using Jobs.Shared.Images;
using Jobs.Shared.Jobs;
using Jobs.Shared.Json;
using Jobs.Shared.Lambda;
using Jobs.Shared.Notices;
using Jobs.Shared.Queue;
using Jobs.Shared.Storage;
using Microsoft.Extensions.Logging;

namespace Jobs.Consumer.Jobs;

/// <summary>
/// Takes one job from queued to its final status: claim, generate, store, complete, notify.
/// The steps are ordered so that a crash after any of them leaves something the next delivery
/// can finish: images already in S3 are reused instead of generated again, a final status is
/// never rewritten, and a notice not yet recorded as sent is sent (with the same event id).
/// </summary>
public sealed partial class JobProcessor(
    IJobStore store,
    IImageStore images,
    IJobEvents events,
    BedrockImageGenerator generator,
    ImageStoreOptions imageOptions,
    ConsumerOptions options,
    TimeProvider time,
    ILogger<JobProcessor> logger)
{
    public async Task<MessageOutcome> ProcessAsync(SqsEventMessage message, LambdaContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(context);
        var jobId = ReadJobId(message.Body);
        if (jobId is null)
        {
            LogPoison(logger, message.MessageId, "the body is not a job message");
            return MessageOutcome.Acknowledge("poison: the body is not a job message");
        }

        using var scope = logger.BeginScope(new Dictionary<string, object> { ["JobId"] = jobId });
        var job = await store.GetAsync(jobId, cancellationToken).ConfigureAwait(false);
        if (job is null)
        {
            LogPoison(logger, message.MessageId, "no such job");
            return MessageOutcome.Acknowledge("poison: no such job");
        }

        if (job.Status.IsTerminal())
        {
            await EnsureNotifiedAsync(job, cancellationToken).ConfigureAwait(false);
            return MessageOutcome.Acknowledge($"already {job.Status.ToName()}");
        }

        var now = time.GetUtcNow();
        if (job.Status == JobStatus.Running && job.LeaseExpiresAt > now)
        {
            return MessageOutcome.Retry("running under another worker's lease");
        }

        var lease = context.Deadline == DateTimeOffset.MaxValue ? now + options.FallbackLease : context.Deadline;
        var claimed = await store.TryClaimAsync(jobId, now, lease, cancellationToken).ConfigureAwait(false);
        if (claimed is null)
        {
            var current = await store.GetAsync(jobId, cancellationToken).ConfigureAwait(false);
            if (current is { Status: var s } && s.IsTerminal())
            {
                await EnsureNotifiedAsync(current, cancellationToken).ConfigureAwait(false);
                return MessageOutcome.Acknowledge($"already {s.ToName()}");
            }

            return MessageOutcome.Retry("claimed by another worker");
        }

        LogClaimed(logger, claimed.Attempts);
        return await RunClaimedAsync(claimed, context, cancellationToken).ConfigureAwait(false);
    }

    private async Task<MessageOutcome> RunClaimedAsync(Job job, LambdaContext context, CancellationToken cancellationToken)
    {
        var stored = await FindStoredImagesAsync(job, cancellationToken).ConfigureAwait(false);
        if (stored is null)
        {
            var budget = context.Deadline == DateTimeOffset.MaxValue
                ? Timeout.InfiniteTimeSpan
                : context.Deadline - time.GetUtcNow() - options.FinishMargin;
            using var budgetSource = new CancellationTokenSource(budget < TimeSpan.Zero ? TimeSpan.Zero : budget, time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, budgetSource.Token);
            IReadOnlyList<GeneratedImage> generated;
            try
            {
                generated = await generator.GenerateAsync(job.Request, linked.Token).ConfigureAwait(false);
            }
            catch (ImageGenerationException ex) when (!ex.IsRetryable)
            {
                return await FailAsync(job, ex.Error, cancellationToken).ConfigureAwait(false);
            }
            catch (ImageGenerationException ex)
            {
                return await RequeueAsync(job, ex.Error, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (budgetSource.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                return await RequeueAsync(job, new JobError(JobErrorCodes.Transient, "Generation did not finish within the invocation's time."), cancellationToken).ConfigureAwait(false);
            }

            stored = await StoreAsync(job, generated, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            LogReusingImages(logger, stored.Count);
        }

        var records = stored.Select(i => new JobImage(images.BucketName, i.Key, i.Sha256, i.Bytes, i.Width, i.Height, i.Seed)).ToList();
        if (!await store.TryCompleteAsync(job.Id, job.Attempts, records, time.GetUtcNow(), cancellationToken).ConfigureAwait(false))
        {
            return await SettleLostRaceAsync(job.Id, cancellationToken).ConfigureAwait(false);
        }

        var completed = await store.GetAsync(job.Id, cancellationToken).ConfigureAwait(false);
        await EnsureNotifiedAsync(completed!, cancellationToken).ConfigureAwait(false);
        LogSucceeded(logger, records.Count);
        return MessageOutcome.Acknowledge("succeeded");
    }

    /// <summary>All of a job's images if an earlier attempt stored every one of them, else null.</summary>
    private async Task<IReadOnlyList<StoredImage>?> FindStoredImagesAsync(Job job, CancellationToken cancellationToken)
    {
        var found = new List<StoredImage>(job.Request.Count);
        for (var i = 0; i < job.Request.Count; i++)
        {
            var image = await images.FindAsync(imageOptions.KeyFor(job.Id, i, job.Request.OutputFormat), cancellationToken).ConfigureAwait(false);
            if (image is null)
            {
                return null;
            }

            found.Add(image);
        }

        return found;
    }

    private async Task<IReadOnlyList<StoredImage>> StoreAsync(Job job, IReadOnlyList<GeneratedImage> generated, CancellationToken cancellationToken)
    {
        var stored = new List<StoredImage>(generated.Count);
        for (var i = 0; i < generated.Count; i++)
        {
            var content = generated[i].Content;
            if (!PngInfo.TryReadSize(content, out var size))
            {
                throw new InvalidDataException("The model returned an image that is not a PNG.");
            }

            var image = new StoredImage(
                imageOptions.KeyFor(job.Id, i, job.Request.OutputFormat),
                "image/png",
                Convert.ToHexStringLower(SHA256.HashData(content)),
                content.Length,
                size.Width,
                size.Height,
                generated[i].Seed);
            await images.PutAsync(image, content, job.Id, cancellationToken).ConfigureAwait(false);
            stored.Add(image);
        }

        return stored;
    }

    private async Task<MessageOutcome> FailAsync(Job job, JobError error, CancellationToken cancellationToken)
    {
        if (!await store.TryFailAsync(job.Id, job.Attempts, error, time.GetUtcNow(), cancellationToken).ConfigureAwait(false))
        {
            return await SettleLostRaceAsync(job.Id, cancellationToken).ConfigureAwait(false);
        }

        LogFailed(logger, error.Code, error.Message);
        var failed = await store.GetAsync(job.Id, cancellationToken).ConfigureAwait(false);
        await EnsureNotifiedAsync(failed!, cancellationToken).ConfigureAwait(false);
        return MessageOutcome.Acknowledge("failed: " + error.Code);
    }

    private async Task<MessageOutcome> RequeueAsync(Job job, JobError reason, CancellationToken cancellationToken)
    {
        LogRequeued(logger, reason.Code, reason.Message);
        await store.TryRequeueAsync(job.Id, job.Attempts, reason, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        return MessageOutcome.Retry(reason.Code);
    }

    /// <summary>Our fenced write lost: another worker took the job over. Finish its notice if it is done, else let the message come back.</summary>
    private async Task<MessageOutcome> SettleLostRaceAsync(string jobId, CancellationToken cancellationToken)
    {
        var current = await store.GetAsync(jobId, cancellationToken).ConfigureAwait(false);
        if (current is { Status: var status } && status.IsTerminal())
        {
            await EnsureNotifiedAsync(current, cancellationToken).ConfigureAwait(false);
            return MessageOutcome.Acknowledge($"already {status.ToName()}");
        }

        return MessageOutcome.Retry("the job was taken over by another worker");
    }

    private async Task EnsureNotifiedAsync(Job job, CancellationToken cancellationToken)
    {
        if (job.NotifiedAt is not null)
        {
            return;
        }

        await events.PublishAsync(JobNotices.For(job), cancellationToken).ConfigureAwait(false);
        await store.MarkNotifiedAsync(job.Id, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
    }

    private static string? ReadJobId(string body)
    {
        try
        {
            var message = JsonSerializer.Deserialize(body, JobsJsonContext.Default.JobMessage);
            return JobIds.IsWellFormed(message?.JobId) ? message!.JobId : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId} dropped: {Reason}")]
    private static partial void LogPoison(ILogger logger, string messageId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Claimed (attempt {Attempt})")]
    private static partial void LogClaimed(ILogger logger, int attempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reusing {Count} image(s) stored by an earlier attempt")]
    private static partial void LogReusingImages(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Succeeded with {Count} image(s)")]
    private static partial void LogSucceeded(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Failed: {Code} {Detail}")]
    private static partial void LogFailed(ILogger logger, string code, string detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sent back to the queue: {Code} {Detail}")]
    private static partial void LogRequeued(ILogger logger, string code, string detail);
}
