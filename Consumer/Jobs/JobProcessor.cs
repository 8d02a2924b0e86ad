using System.Security.Cryptography;
using Jobs.Consumer.Batch;
using Jobs.Consumer.Bedrock;
using Jobs.Shared.Images;
using Jobs.Shared.Jobs;
using Jobs.Shared.Lambda;
using Jobs.Consumer.Metrics;
using Jobs.Shared.Models;
using Jobs.Shared.Queue;
using Jobs.Shared.Storage;
using Microsoft.Extensions.Logging;

namespace Jobs.Consumer.Jobs;

/// <summary>
/// Takes one job from queued to its final status: claim, generate, store, complete, notify.
/// The steps are ordered so that a crash after any of them leaves something the next delivery
/// can finish: images already in S3 are reused instead of generated again, a final status is
/// never rewritten, and a notice not yet recorded as sent is sent (with the same event id).
/// Bedrock's lack of capacity sends the job back with a growing delay on a fresh message, so it
/// never uses up the message's receives or the job's attempts.
/// </summary>
public sealed partial class JobProcessor(
    IJobStore store,
    IImageStore images,
    IJobQueue queue,
    JobNotifier notifier,
    BedrockImageGenerator generator,
    ModelCatalog catalog,
    ImageStoreOptions imageOptions,
    ConsumerOptions options,
    JobMetrics metrics,
    TimeProvider time,
    ILogger<JobProcessor> logger)
{
    public async Task<MessageOutcome> ProcessAsync(SqsEventMessage message, LambdaContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(context);
        var jobId = JobMessageReader.ReadJobId(message.Body);
        if (jobId is null)
        {
            return Poison(message, "the body is not a job message");
        }

        using var scope = logger.BeginScope(new Dictionary<string, object> { ["JobId"] = jobId });
        Job? job;
        try
        {
            job = await store.GetAsync(jobId, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidDataException ex)
        {
            return Poison(message, ex.Message);
        }

        if (job is null)
        {
            return Poison(message, "no such job");
        }

        if (job.Status.IsTerminal())
        {
            await notifier.EnsureNotifiedAsync(job, cancellationToken).ConfigureAwait(false);
            return MessageOutcome.Acknowledge($"already {job.Status.ToName()}");
        }

        var now = time.GetUtcNow();
        if (job.Status == JobStatus.Running && job.LeaseExpiresAt > now)
        {
            return MessageOutcome.Retry("running under another worker's lease");
        }

        if (now - job.CreatedAt > options.JobDeadline)
        {
            return await FailUnclaimedAsync(job, new JobError(JobErrorCodes.Expired, $"The job did not finish within {options.JobDeadline.TotalHours:0.#} hours of submission."), cancellationToken).ConfigureAwait(false);
        }

        if (!catalog.TryGet(job.Request.Model, out _))
        {
            LogPoison(logger, message.MessageId, $"model {job.Request.Model} is no longer in the catalog");
            return await FailUnclaimedAsync(job, new JobError(JobErrorCodes.InvalidJob, $"Model {job.Request.Model} is no longer offered."), cancellationToken).ConfigureAwait(false);
        }

        var lease = context.Deadline == DateTimeOffset.MaxValue ? now + options.FallbackLease : context.Deadline;
        var claimed = await store.TryClaimAsync(jobId, now, lease, cancellationToken).ConfigureAwait(false);
        if (claimed is null)
        {
            return await SettleLostRaceAsync(jobId, cancellationToken).ConfigureAwait(false);
        }

        LogClaimed(logger, claimed.Attempts);
        if (claimed.CancelRequestedAt is not null)
        {
            return await CancelAsync(claimed, [], cancellationToken).ConfigureAwait(false);
        }

        return await RunClaimedAsync(claimed, message, context, cancellationToken).ConfigureAwait(false);
    }

    private async Task<MessageOutcome> RunClaimedAsync(Job job, SqsEventMessage message, LambdaContext context, CancellationToken cancellationToken)
    {
        IReadOnlyList<StoredImage>? stored;
        try
        {
            stored = await FindStoredImagesAsync(job, cancellationToken).ConfigureAwait(false);
        }
        catch (ImageStorePermissionException ex)
        {
            // The deployment is short of a permission: no retry can fix that, and a Bedrock call
            // now would make an image that cannot be looked for again. Fail once, loudly.
            LogMisconfigured(logger, ex.Message);
            return await FailAsync(job, new JobError(JobErrorCodes.ServiceMisconfigured, ex.Message), cancellationToken).ConfigureAwait(false);
        }

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
            catch (ImageGenerationException ex) when (ex.IsCapacity && !cancellationToken.IsCancellationRequested)
            {
                return await DeferAsync(job, ex.Error, cancellationToken).ConfigureAwait(false);
            }
            catch (ImageGenerationException ex) when (!ex.IsRetryable)
            {
                return await FailAsync(job, ex.Error, cancellationToken).ConfigureAwait(false);
            }
            catch (ImageGenerationException ex) when (!cancellationToken.IsCancellationRequested)
            {
                return await RequeueAsync(job, message, ex.Error, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (budgetSource.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                return await RequeueAsync(job, message, new JobError(JobErrorCodes.Transient, "Generation did not finish within the invocation's time."), cancellationToken).ConfigureAwait(false);
            }

            // A cancel that came in while the model worked: drop the result before storing it.
            if (await store.GetAsync(job.Id, cancellationToken).ConfigureAwait(false) is { CancelRequestedAt: not null })
            {
                return await CancelAsync(job, [], cancellationToken).ConfigureAwait(false);
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
            var current = await store.GetAsync(job.Id, cancellationToken).ConfigureAwait(false);
            if (current is { Status: JobStatus.Running, CancelRequestedAt: not null } && current.Attempts == job.Attempts)
            {
                return await CancelAsync(job, stored, cancellationToken).ConfigureAwait(false);
            }

            return await SettleLostRaceAsync(job.Id, cancellationToken).ConfigureAwait(false);
        }

        metrics.Count(JobMetrics.JobSucceeded, job.Request.Model);
        await notifier.EnsureNotifiedAsync(job.Id, cancellationToken).ConfigureAwait(false);
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
        metrics.Count(JobMetrics.JobFailed, job.Request.Model, error.Code);
        await notifier.EnsureNotifiedAsync(job.Id, cancellationToken).ConfigureAwait(false);
        return MessageOutcome.Acknowledge("failed: " + error.Code);
    }

    private async Task<MessageOutcome> FailUnclaimedAsync(Job job, JobError error, CancellationToken cancellationToken)
    {
        if (!await store.TryFailUnclaimedAsync(job.Id, error, time.GetUtcNow(), cancellationToken).ConfigureAwait(false))
        {
            return await SettleLostRaceAsync(job.Id, cancellationToken).ConfigureAwait(false);
        }

        LogFailed(logger, error.Code, error.Message);
        metrics.Count(JobMetrics.JobFailed, job.Request.Model, error.Code);
        await notifier.EnsureNotifiedAsync(job.Id, cancellationToken).ConfigureAwait(false);
        return MessageOutcome.Acknowledge("failed: " + error.Code);
    }

    /// <summary>A real error: the message comes back after its visibility timeout, unless this was its last receive.</summary>
    private async Task<MessageOutcome> RequeueAsync(Job job, SqsEventMessage message, JobError reason, CancellationToken cancellationToken)
    {
        if (message.ReceiveCount >= options.MaxReceives)
        {
            return await FailAsync(job, new JobError(JobErrorCodes.RetriesExhausted, $"Gave up after {message.ReceiveCount} tries; the last error was {reason.Code}: {reason.Message}"), cancellationToken).ConfigureAwait(false);
        }

        LogRequeued(logger, reason.Code, reason.Message);
        if (!await store.TryRequeueAsync(job.Id, job.Attempts, reason, time.GetUtcNow(), cancellationToken).ConfigureAwait(false))
        {
            return await SettleLostRaceAsync(job.Id, cancellationToken).ConfigureAwait(false);
        }

        return MessageOutcome.Retry(reason.Code);
    }

    /// <summary>No capacity: the job waits on a fresh, delayed message; the attempt is handed back.</summary>
    private async Task<MessageOutcome> DeferAsync(Job job, JobError reason, CancellationToken cancellationToken)
    {
        if (!await store.TryDeferAsync(job.Id, job.Attempts, reason, time.GetUtcNow(), cancellationToken).ConfigureAwait(false))
        {
            return await SettleLostRaceAsync(job.Id, cancellationToken).ConfigureAwait(false);
        }

        var delay = options.DeferralDelay(job.Deferrals + 1, Random.Shared.NextDouble());
        LogDeferred(logger, reason.Code, delay.TotalSeconds);
        metrics.Count(reason.Code == JobErrorCodes.Throttled ? JobMetrics.BedrockThrottled : JobMetrics.JobDeferred, job.Request.Model, reason.Code);
        await queue.EnqueueAsync(new JobMessage(job.Id), delay, cancellationToken).ConfigureAwait(false);
        return MessageOutcome.Acknowledge($"deferred {delay.TotalSeconds:0}s: {reason.Code}");
    }

    private async Task<MessageOutcome> CancelAsync(Job job, IReadOnlyList<StoredImage> stored, CancellationToken cancellationToken)
    {
        foreach (var image in stored)
        {
            await images.DeleteAsync(image.Key, cancellationToken).ConfigureAwait(false);
        }

        if (!await store.TryCancelRunningAsync(job.Id, job.Attempts, time.GetUtcNow(), cancellationToken).ConfigureAwait(false))
        {
            return await SettleLostRaceAsync(job.Id, cancellationToken).ConfigureAwait(false);
        }

        LogCanceled(logger);
        await notifier.EnsureNotifiedAsync(job.Id, cancellationToken).ConfigureAwait(false);
        return MessageOutcome.Acknowledge("canceled");
    }

    /// <summary>A conditional write lost: finish the notice if the job is done, else let the message come back.</summary>
    private async Task<MessageOutcome> SettleLostRaceAsync(string jobId, CancellationToken cancellationToken)
    {
        var current = await store.GetAsync(jobId, cancellationToken).ConfigureAwait(false);
        if (current is null)
        {
            return MessageOutcome.Acknowledge("the job is gone");
        }

        if (current.Status.IsTerminal())
        {
            await notifier.EnsureNotifiedAsync(current, cancellationToken).ConfigureAwait(false);
            return MessageOutcome.Acknowledge($"already {current.Status.ToName()}");
        }

        return MessageOutcome.Retry("the job is held by another worker");
    }

    private MessageOutcome Poison(SqsEventMessage message, string reason)
    {
        LogPoison(logger, message.MessageId, reason);
        return MessageOutcome.Acknowledge("poison: " + reason);
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Deferred for capacity: {Code}, next try in {DelaySeconds:0} s")]
    private static partial void LogDeferred(ILogger logger, string code, double delaySeconds);

    [LoggerMessage(Level = LogLevel.Critical, Message = "The deployment is misconfigured: {Detail}")]
    private static partial void LogMisconfigured(ILogger logger, string detail);

    [LoggerMessage(Level = LogLevel.Information, Message = "Canceled")]
    private static partial void LogCanceled(ILogger logger);
}
