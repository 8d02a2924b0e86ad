using System.Security.Cryptography;
using Jobs.Consumer.Batch;
using Jobs.Consumer.Bedrock;
using Jobs.Consumer.Metrics;
using Jobs.Consumer.Pacing;
using Jobs.Shared.Images;
using Jobs.Shared.Jobs;
using Jobs.Shared.Lambda;
using Jobs.Shared.Logging;
using Jobs.Shared.Models;
using Jobs.Shared.Queue;
using Jobs.Shared.Storage;
using Microsoft.Extensions.Logging;

namespace Jobs.Consumer.Jobs;

/// <summary>
/// Takes one job from queued to its final status: claim, generate, store, complete, notify. Every
/// step is an event of the job's state machine, so a crash after any of them leaves something the
/// next delivery can finish: images an earlier attempt stored are reused instead of generated again,
/// a final status is never rewritten, and a notice not yet recorded is sent (with the same event
/// id). A message is acted on only if it is the job's current dispatch; every retry or deferral goes
/// out on a fresh message with the next dispatch, so a job never has two live messages.
/// </summary>
public sealed partial class JobProcessor(
    IJobStore store,
    IImageStore images,
    IJobQueue queue,
    JobNotifier notifier,
    IResultCache cache,
    BedrockImageGenerator generator,
    ModelPace pace,
    PaceOptions paceOptions,
    ModelCatalog catalog,
    ImageStoreOptions imageOptions,
    Batches.OutputWriter outputs,
    ConsumerOptions options,
    JobMetrics metrics,
    TimeProvider time,
    ILogger<JobProcessor> logger)
{
    /// <summary>A slot taken now that is this close is now; later, the job waits for it (a call early is a call the bucket did not allow).</summary>
    private static readonly TimeSpan RunNowTolerance = TimeSpan.FromMilliseconds(100);

    /// <summary>A job coming back for its reserved slot may be this early: clocks of two machines differ a little.</summary>
    private static readonly TimeSpan SlotTolerance = TimeSpan.FromSeconds(1);

    public async Task<MessageOutcome> ProcessAsync(SqsEventMessage message, LambdaContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(context);
        if (JobMessageReader.Read(message.Body) is not { } jobMessage)
        {
            return Poison(message, "the body is not a job message");
        }

        using var scope = logger.BeginScope(LogScope.Of("jobId", jobMessage.JobId));
        var now = time.GetUtcNow();
        JobWrite claim;
        try
        {
            if (context.Deadline != DateTimeOffset.MaxValue && context.Deadline - now - options.FinishMargin < options.MinimumAttemptBudget)
            {
                // Too little time to finish: starting would spend an attempt (and perhaps a paid call)
                // on a job that must be handed back half done. Pass it to a fresh message instead.
                var handedOn = await store.RedispatchAsync(jobMessage.JobId, jobMessage.Dispatch, now, now, cancellationToken).ConfigureAwait(false);
                return handedOn.IsApplied
                    ? await SendAsync(handedOn.Job!, TimeSpan.Zero, "handed on: too little time left in this invocation", cancellationToken).ConfigureAwait(false)
                    : await SettleAsync(handedOn.Job, jobMessage.Dispatch, cancellationToken).ConfigureAwait(false);
            }

            // Claim first: the write returns the job, so the common path reads nothing else, and a
            // refusal returns the job as it is, which says why (finished, stale, held, not due).
            var lease = context.Deadline == DateTimeOffset.MaxValue ? now + options.FallbackLease : context.Deadline;
            claim = await store.ClaimAsync(jobMessage.JobId, jobMessage.Dispatch, lease, now, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidDataException ex)
        {
            return Poison(message, ex.Message);
        }

        if (!claim.IsApplied)
        {
            return claim.Job is null
                ? Poison(message, "no such job")
                : await SettleAsync(claim.Job, jobMessage.Dispatch, cancellationToken).ConfigureAwait(false);
        }

        var job = claim.Job!;
        LogClaimed(logger, job.Attempts);
        metrics.Measure(JobMetrics.QueuedAgeMs, job.Request.Model, (now - job.CreatedAt).TotalMilliseconds);
        if (now - job.CreatedAt > options.JobDeadline)
        {
            return await FailAsync(job, new JobError(JobErrorCodes.Expired, $"The job did not finish within {options.JobDeadline.TotalHours:0.#} hours of submission."), cancellationToken).ConfigureAwait(false);
        }

        if (NotStartedBy(job, now))
        {
            return await FailAsync(job, MissedStart(job), cancellationToken).ConfigureAwait(false);
        }

        if (!catalog.TryGet(job.Request.Model, out _))
        {
            LogPoison(logger, message.MessageId, $"model {job.Request.Model} is no longer in the catalog");
            return await FailAsync(job, new JobError(JobErrorCodes.InvalidJob, $"Model {job.Request.Model} is no longer offered."), cancellationToken).ConfigureAwait(false);
        }

        if (job.CancelRequestedAt is not null)
        {
            // Canceled while a worker that then died held it: drop whatever that worker stored.
            return await CancelAsync(job, await EarlierImagesAsync(job, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        }

        return await RunClaimedAsync(job, context, cancellationToken).ConfigureAwait(false);
    }

    private async Task<MessageOutcome> RunClaimedAsync(Job job, LambdaContext context, CancellationToken cancellationToken)
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
            // Every call to Bedrock has a slot in its model's pace: the one the job was given when it
            // was sent back to wait, or one taken now. A slot later than now sends the job to wait for it.
            DateTimeOffset slot;
            if (HoldsSlot(job))
            {
                slot = time.GetUtcNow();
            }
            else if (job.BatchId is null)
            {
                slot = await pace.TakeAsync(job.Request.Model, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                // A batch job takes a slot near at hand or one of the batch share; without one it
                // waits in line, coming back when the batch jobs ahead of it have been served.
                var claim = await pace.TakeBulkAsync(job.Request.Model, returning: job.Deferrals > 0, cancellationToken).ConfigureAwait(false);
                if (!claim.Reserved)
                {
                    if (NotStartedBy(job, claim.Slot))
                    {
                        return await FailAsync(job, MissedStart(job), cancellationToken).ConfigureAwait(false);
                    }

                    metrics.Measure(JobMetrics.PaceWaitMs, job.Request.Model, Math.Max(0, (claim.Slot - time.GetUtcNow()).TotalMilliseconds));
                    return await DeferAsync(job, new JobError(JobErrorCodes.AwaitingCapacity, $"Waiting in line for {job.Request.Model}'s quota, which single jobs go first in."), claim.Slot, null, cancellationToken).ConfigureAwait(false);
                }

                slot = claim.Slot;
            }
            var wait = slot - time.GetUtcNow();
            if (wait > RunNowTolerance && NotStartedBy(job, slot))
            {
                // Its turn comes after the client's deadline: it would never start, so end it now.
                return await FailAsync(job, MissedStart(job), cancellationToken).ConfigureAwait(false);
            }

            if (wait > RunNowTolerance)
            {
                metrics.Measure(JobMetrics.PaceWaitMs, job.Request.Model, wait.TotalMilliseconds);
                return await DeferAsync(job, new JobError(JobErrorCodes.AwaitingCapacity, $"Waiting for its turn in {job.Request.Model}'s quota."), slot, slot, cancellationToken).ConfigureAwait(false);
            }

            // Calls may start until there is just time left for one to answer and for its images to
            // be stored; a call already made is waited for, since it is paid for either way.
            var startBy = context.Deadline == DateTimeOffset.MaxValue
                ? DateTimeOffset.MaxValue
                : context.Deadline - options.FinishMargin - options.MinimumAttemptBudget;
            IReadOnlyList<GeneratedImage> generated;
            try
            {
                generated = await generator.GenerateAsync(job.Request, startBy, cancellationToken).ConfigureAwait(false);
            }
            catch (ImageGenerationException ex) when (ex.IsThrottle && paceOptions.Enabled)
            {
                // The pace let more through than Bedrock took: lower it, and wait for a slot in the slower pace.
                metrics.Count(JobMetrics.BedrockThrottled, job.Request.Model, ex.Error.Code);
                await pace.ThrottledAsync(job.Request.Model, cancellationToken).ConfigureAwait(false);
                var next = await pace.TakeAsync(job.Request.Model, cancellationToken).ConfigureAwait(false);
                return await DeferAsync(job, ex.Error, next, next, cancellationToken).ConfigureAwait(false);
            }
            catch (ImageGenerationException ex) when (ex.IsCapacity)
            {
                // A model warming up, an open circuit, or (unpaced) a throttle: back off, growing with each deferral.
                if (ex.IsThrottle)
                {
                    metrics.Count(JobMetrics.BedrockThrottled, job.Request.Model, ex.Error.Code);
                }

                var delay = options.DeferralDelay(job.Deferrals + 1, Random.Shared.NextDouble());
                return await DeferAsync(job, ex.Error, time.GetUtcNow() + delay, null, cancellationToken).ConfigureAwait(false);
            }
            catch (ImageGenerationException ex) when (!ex.IsRetryable)
            {
                return await FailAsync(job, ex.Error, cancellationToken).ConfigureAwait(false);
            }
            catch (ImageGenerationException ex)
            {
                return await RetryAsync(job, ex.Error, cancellationToken).ConfigureAwait(false);
            }

            metrics.Count(JobMetrics.BedrockCalls, job.Request.Model);
            stored = await StoreAsync(job, generated, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            LogReusingImages(logger, stored.Count);
        }

        await outputs.WriteAsync(job, stored, cancellationToken).ConfigureAwait(false);
        var records = stored.Select(i => new JobImage(images.BucketName, i.Key, i.Sha256, i.Bytes, i.Width, i.Height, i.Seed)).ToList();
        var completed = await store.CompleteAsync(job.Id, job.Attempts, records, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        if (!completed.IsApplied)
        {
            if (completed.Job is { Status: JobStatus.Running, CancelRequestedAt: not null } current && current.Attempts == job.Attempts)
            {
                // The client canceled while the images were made: the cancel wins, the images go.
                return await CancelAsync(job, stored, cancellationToken).ConfigureAwait(false);
            }

            return await SettleAsync(completed.Job, job.Dispatch, cancellationToken).ConfigureAwait(false);
        }

        metrics.Count(JobMetrics.JobSucceeded, job.Request.Model);
        await RememberResultAsync(completed.Job!, cancellationToken).ConfigureAwait(false);
        metrics.Measure(JobMetrics.SubmitToCompleteMs, job.Request.Model, (completed.Job!.CompletedAt!.Value - job.CreatedAt).TotalMilliseconds);
        await notifier.PublishAsync(completed.Job!, cancellationToken).ConfigureAwait(false);
        LogSucceeded(logger, records.Count);
        return MessageOutcome.Acknowledge("succeeded");
    }

    /// <summary>
    /// Records the result for identical requests to come (a fixed seed only). A failure here costs a
    /// future request its free answer, nothing more, so it is logged and let go.
    /// </summary>
    private async Task RememberResultAsync(Job job, CancellationToken cancellationToken)
    {
        if (options.ResultCacheLifetime <= TimeSpan.Zero || job.CachedFrom is not null || RequestFingerprint.For(job.Request) is not { } fingerprint)
        {
            return;
        }

        try
        {
            await cache.StoreAsync(fingerprint, job.Id, job.Images, time.GetUtcNow() + options.ResultCacheLifetime, cancellationToken).ConfigureAwait(false);
        }
        catch (Amazon.Runtime.AmazonServiceException ex)
        {
            LogCacheFailed(logger, ex);
        }
    }

    /// <summary>
    /// All of a job's images if an earlier attempt stored every one of them, else null. A first
    /// attempt has no earlier one, so it does not look: no HeadObject on the common path.
    /// </summary>
    private async Task<IReadOnlyList<StoredImage>?> FindStoredImagesAsync(Job job, CancellationToken cancellationToken)
    {
        if (job.Attempts <= 1)
        {
            return null;
        }

        var found = await EarlierImagesAsync(job, cancellationToken).ConfigureAwait(false);
        return found.Count == job.Request.Count ? found : null;
    }

    /// <summary>The images earlier attempts of the job stored, if any.</summary>
    private async Task<IReadOnlyList<StoredImage>> EarlierImagesAsync(Job job, CancellationToken cancellationToken)
    {
        var found = new List<StoredImage>(job.Request.Count);
        if (job.Attempts <= 1)
        {
            return found;
        }

        for (var i = 0; i < job.Request.Count; i++)
        {
            if (await images.FindAsync(imageOptions.KeyFor(job.Id, i, job.Request.OutputFormat), cancellationToken).ConfigureAwait(false) is { } image)
            {
                found.Add(image);
            }
        }

        return found;
    }

    private async Task<IReadOnlyList<StoredImage>> StoreAsync(Job job, IReadOnlyList<GeneratedImage> generated, CancellationToken cancellationToken)
    {
        var stored = new List<StoredImage>(generated.Count);
        for (var i = 0; i < generated.Count; i++)
        {
            var content = generated[i].Content;
            // The generator let through PNGs only.
            PngInfo.TryReadSize(content, out var size);
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

    /// <summary>
    /// Whether the job has a client deadline that <paramref name="at"/> is past while it has not
    /// started: no attempt of it has reached Bedrock (a deferral for capacity hands its attempt back).
    /// </summary>
    private static bool NotStartedBy(Job job, DateTimeOffset at) => job.StartBy is { } startBy && at > startBy && job.Attempts <= 1;

    private static JobError MissedStart(Job job) =>
        new(JobErrorCodes.Expired, $"The job did not start by its deadline ({job.StartBy:O}), so it never will.");

    private async Task<MessageOutcome> FailAsync(Job job, JobError error, CancellationToken cancellationToken)
    {
        var failed = await store.FailAsync(job.Id, job.Attempts, error, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        if (!failed.IsApplied)
        {
            return await SettleAsync(failed.Job, job.Dispatch, cancellationToken).ConfigureAwait(false);
        }

        LogFailed(logger, error.Code, error.Message);
        metrics.Count(JobMetrics.JobFailed, job.Request.Model, error.Code);
        await notifier.PublishAsync(failed.Job!, cancellationToken).ConfigureAwait(false);
        return MessageOutcome.Acknowledge("failed: " + error.Code);
    }

    /// <summary>
    /// A passing error: the attempt counts, and the job waits for a fresh message after a backoff
    /// (the message in hand is acknowledged, so receives never run out); the last attempt fails it.
    /// </summary>
    private async Task<MessageOutcome> RetryAsync(Job job, JobError reason, CancellationToken cancellationToken)
    {
        if (job.Attempts >= options.MaxAttempts)
        {
            return await FailAsync(job, new JobError(JobErrorCodes.RetriesExhausted, $"Gave up after {job.Attempts} attempts; the last error was {reason.Code}: {reason.Message}"), cancellationToken).ConfigureAwait(false);
        }

        var now = time.GetUtcNow();
        var delay = options.RetryDelay(job.Attempts, Random.Shared.NextDouble());
        var retried = await store.RetryAsync(job.Id, job.Attempts, reason, now + delay, now, cancellationToken).ConfigureAwait(false);
        if (!retried.IsApplied)
        {
            return await CancelOrSettleAsync(job, retried, cancellationToken).ConfigureAwait(false);
        }

        LogRetried(logger, reason.Code, reason.Message, delay.TotalSeconds);
        return await SendAsync(retried.Job!, delay, $"retry in {delay.TotalSeconds:0}s: {reason.Code}", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>No capacity: the job waits on a fresh message due at <paramref name="dueAt"/>; the attempt is handed back.</summary>
    private async Task<MessageOutcome> DeferAsync(Job job, JobError reason, DateTimeOffset dueAt, DateTimeOffset? slotAt, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var deferred = await store.DeferAsync(job.Id, job.Attempts, reason, dueAt, slotAt, now, cancellationToken).ConfigureAwait(false);
        if (!deferred.IsApplied)
        {
            return await CancelOrSettleAsync(job, deferred, cancellationToken).ConfigureAwait(false);
        }

        var delay = dueAt > now ? dueAt - now : TimeSpan.Zero;
        LogDeferred(logger, reason.Code, delay.TotalSeconds);
        if (reason.Code != JobErrorCodes.AwaitingCapacity)
        {
            metrics.Count(JobMetrics.JobDeferred, job.Request.Model, reason.Code);
        }

        return await SendAsync(deferred.Job!, delay, $"deferred {delay.TotalSeconds:0}s: {reason.Code}", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Whether the job holds a pace slot reserved for now (it came back for it, on time).</summary>
    private bool HoldsSlot(Job job) =>
        job.SlotAt is { } slot && time.GetUtcNow() >= slot - SlotTolerance && time.GetUtcNow() <= slot + paceOptions.SlotGrace;

    /// <summary>
    /// Sends the message of the job's current dispatch and acknowledges the one in hand. A send that
    /// fails is left to the reconciler: the job item says when its message was due, which is all it needs.
    /// </summary>
    private async Task<MessageOutcome> SendAsync(Job job, TimeSpan delay, string outcome, CancellationToken cancellationToken)
    {
        try
        {
            await queue.EnqueueAsync(new JobMessage(job.Id, job.Dispatch) { Bulk = job.BatchId is not null }, delay, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogSendFailed(logger, job.Dispatch, ex);
        }

        return MessageOutcome.Acknowledge(outcome);
    }

    /// <summary>A retry or deferral refused: if the client canceled meanwhile, the cancel wins now.</summary>
    private async Task<MessageOutcome> CancelOrSettleAsync(Job job, JobWrite refused, CancellationToken cancellationToken)
    {
        if (refused.Job is { Status: JobStatus.Running, CancelRequestedAt: not null } current && current.Attempts == job.Attempts)
        {
            return await CancelAsync(job, [], cancellationToken).ConfigureAwait(false);
        }

        return await SettleAsync(refused.Job, job.Dispatch, cancellationToken).ConfigureAwait(false);
    }

    private async Task<MessageOutcome> CancelAsync(Job job, IReadOnlyList<StoredImage> stored, CancellationToken cancellationToken)
    {
        foreach (var image in stored)
        {
            await images.DeleteAsync(image.Key, cancellationToken).ConfigureAwait(false);
        }

        var canceled = await store.CancelByWorkerAsync(job.Id, job.Attempts, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        if (!canceled.IsApplied)
        {
            return await SettleAsync(canceled.Job, job.Dispatch, cancellationToken).ConfigureAwait(false);
        }

        LogCanceled(logger);
        await notifier.PublishAsync(canceled.Job!, cancellationToken).ConfigureAwait(false);
        return MessageOutcome.Acknowledge("canceled");
    }

    /// <summary>
    /// A conditional write was refused, and <paramref name="current"/> is the job that refused it:
    /// a finished job on this message gets its notice (again: the worker that finished it may have
    /// died before publishing), a message another dispatch replaced is let go, a job not yet due is
    /// sent on to its time, and one a live worker holds lets this message come back later.
    /// </summary>
    private async Task<MessageOutcome> SettleAsync(Job? current, int dispatch, CancellationToken cancellationToken)
    {
        if (current is null)
        {
            return MessageOutcome.Acknowledge("the job is gone");
        }

        if (current.Dispatch != dispatch)
        {
            return MessageOutcome.Acknowledge($"stale: dispatch {dispatch}, the job is on {current.Dispatch}");
        }

        if (current.Status.IsTerminal())
        {
            await notifier.PublishAsync(current, cancellationToken).ConfigureAwait(false);
            return MessageOutcome.Acknowledge($"already {current.Status.ToName()}");
        }

        var now = time.GetUtcNow();
        if (current.Status == JobStatus.Queued && current.DueAt is { } due && due > now)
        {
            // SQS delays a message 15 minutes at most; a longer wait is made of hops.
            var hop = await store.RedispatchAsync(current.Id, dispatch, due, now, cancellationToken).ConfigureAwait(false);
            return hop.IsApplied
                ? await SendAsync(hop.Job!, due - now, "not due yet: sent on to its time", cancellationToken).ConfigureAwait(false)
                : await SettleAsync(hop.Job, dispatch, cancellationToken).ConfigureAwait(false);
        }

        return MessageOutcome.Retry(current.Status == JobStatus.Running && current.LeaseExpiresAt > now
            ? "running under another worker's lease"
            : "the job is held by another worker");
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retrying after a passing error: {Code} {Detail}; next attempt in {DelaySeconds:0} s")]
    private static partial void LogRetried(ILogger logger, string code, string detail, double delaySeconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deferred for capacity: {Code}, next try in {DelaySeconds:0} s")]
    private static partial void LogDeferred(ILogger logger, string code, double delaySeconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The message of dispatch {Dispatch} could not be sent; the reconciler will send it")]
    private static partial void LogSendFailed(ILogger logger, int dispatch, Exception exception);

    [LoggerMessage(Level = LogLevel.Critical, Message = "The deployment is misconfigured: {Detail}")]
    private static partial void LogMisconfigured(ILogger logger, string detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The result could not be recorded for identical requests")]
    private static partial void LogCacheFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Canceled")]
    private static partial void LogCanceled(ILogger logger);
}
