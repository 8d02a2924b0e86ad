using System.Security.Cryptography;
using Jobs.Consumer.Batch;
using Jobs.Consumer.Bedrock;
using Jobs.Consumer.Metrics;
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
        if (JobMessageReader.Read(message.Body) is not { } jobMessage)
        {
            return Poison(message, "the body is not a job message");
        }

        using var scope = logger.BeginScope(LogScope.Of("jobId", jobMessage.JobId));
        Job? job;
        try
        {
            job = await store.GetAsync(jobMessage.JobId, cancellationToken).ConfigureAwait(false);
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

        if (jobMessage.Dispatch != job.Dispatch)
        {
            // An older message that came back, or a copy: the job's current message does the work.
            return MessageOutcome.Acknowledge($"stale: dispatch {jobMessage.Dispatch}, the job is on {job.Dispatch}");
        }

        var now = time.GetUtcNow();
        if (job.Status == JobStatus.Running && job.LeaseExpiresAt > now)
        {
            // The same message delivered twice at once: the other copy's worker holds the job.
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

        if (job.Status == JobStatus.Queued && job.DueAt is { } due && due - now > TimeSpan.FromSeconds(1))
        {
            // SQS delays a message 15 minutes at most; a longer wait is made of hops.
            return await RedispatchAsync(job, due, "not due yet", cancellationToken).ConfigureAwait(false);
        }

        if (context.Deadline != DateTimeOffset.MaxValue && context.Deadline - now - options.FinishMargin < options.MinimumAttemptBudget)
        {
            // Too little time to finish: starting would spend an attempt (and perhaps a paid call)
            // on a job that must be handed back half done. Pass it to a fresh message instead.
            return await RedispatchAsync(job, now, "too little time left in this invocation", cancellationToken).ConfigureAwait(false);
        }

        var lease = context.Deadline == DateTimeOffset.MaxValue ? now + options.FallbackLease : context.Deadline;
        var claim = await store.ClaimAsync(job.Id, jobMessage.Dispatch, lease, now, cancellationToken).ConfigureAwait(false);
        if (!claim.IsApplied)
        {
            return await SettleAsync(claim.Job, jobMessage.Dispatch, cancellationToken).ConfigureAwait(false);
        }

        var claimed = claim.Job!;
        LogClaimed(logger, claimed.Attempts);
        if (claimed.CancelRequestedAt is not null)
        {
            // Canceled while a worker that then died held it: drop whatever that worker stored.
            return await CancelAsync(claimed, await EarlierImagesAsync(claimed, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        }

        return await RunClaimedAsync(claimed, context, cancellationToken).ConfigureAwait(false);
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
            catch (ImageGenerationException ex) when (ex.IsCapacity)
            {
                return await DeferAsync(job, ex.Error, cancellationToken).ConfigureAwait(false);
            }
            catch (ImageGenerationException ex) when (!ex.IsRetryable)
            {
                return await FailAsync(job, ex.Error, cancellationToken).ConfigureAwait(false);
            }
            catch (ImageGenerationException ex)
            {
                return await RetryAsync(job, ex.Error, cancellationToken).ConfigureAwait(false);
            }

            stored = await StoreAsync(job, generated, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            LogReusingImages(logger, stored.Count);
        }

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
        await notifier.EnsureNotifiedAsync(completed.Job!, cancellationToken).ConfigureAwait(false);
        LogSucceeded(logger, records.Count);
        return MessageOutcome.Acknowledge("succeeded");
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

    private async Task<MessageOutcome> FailAsync(Job job, JobError error, CancellationToken cancellationToken)
    {
        var failed = await store.FailAsync(job.Id, job.Attempts, error, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        if (!failed.IsApplied)
        {
            return await SettleAsync(failed.Job, job.Dispatch, cancellationToken).ConfigureAwait(false);
        }

        LogFailed(logger, error.Code, error.Message);
        metrics.Count(JobMetrics.JobFailed, job.Request.Model, error.Code);
        await notifier.EnsureNotifiedAsync(failed.Job!, cancellationToken).ConfigureAwait(false);
        return MessageOutcome.Acknowledge("failed: " + error.Code);
    }

    private async Task<MessageOutcome> FailUnclaimedAsync(Job job, JobError error, CancellationToken cancellationToken)
    {
        var failed = await store.FailUnclaimedAsync(job.Id, error, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        if (!failed.IsApplied)
        {
            return await SettleAsync(failed.Job, job.Dispatch, cancellationToken).ConfigureAwait(false);
        }

        LogFailed(logger, error.Code, error.Message);
        metrics.Count(JobMetrics.JobFailed, job.Request.Model, error.Code);
        await notifier.EnsureNotifiedAsync(failed.Job!, cancellationToken).ConfigureAwait(false);
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
        await SendAsync(retried.Job!, delay, cancellationToken).ConfigureAwait(false);
        return MessageOutcome.Acknowledge($"retry in {delay.TotalSeconds:0}s: {reason.Code}");
    }

    /// <summary>No capacity: the job waits on a fresh, delayed message; the attempt is handed back.</summary>
    private async Task<MessageOutcome> DeferAsync(Job job, JobError reason, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var delay = options.DeferralDelay(job.Deferrals + 1, Random.Shared.NextDouble());
        var deferred = await store.DeferAsync(job.Id, job.Attempts, reason, now + delay, now, cancellationToken).ConfigureAwait(false);
        if (!deferred.IsApplied)
        {
            return await CancelOrSettleAsync(job, deferred, cancellationToken).ConfigureAwait(false);
        }

        LogDeferred(logger, reason.Code, delay.TotalSeconds);
        metrics.Count(reason.Code == JobErrorCodes.Throttled ? JobMetrics.BedrockThrottled : JobMetrics.JobDeferred, job.Request.Model, reason.Code);
        await SendAsync(deferred.Job!, delay, cancellationToken).ConfigureAwait(false);
        return MessageOutcome.Acknowledge($"deferred {delay.TotalSeconds:0}s: {reason.Code}");
    }

    /// <summary>Replaces the job's message with a fresh one due at <paramref name="dueAt"/>, without claiming it.</summary>
    private async Task<MessageOutcome> RedispatchAsync(Job job, DateTimeOffset dueAt, string why, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var redispatched = await store.RedispatchAsync(job.Id, job.Dispatch, dueAt, now, cancellationToken).ConfigureAwait(false);
        if (!redispatched.IsApplied)
        {
            return await SettleAsync(redispatched.Job, job.Dispatch, cancellationToken).ConfigureAwait(false);
        }

        var delay = dueAt > now ? dueAt - now : TimeSpan.Zero;
        await SendAsync(redispatched.Job!, delay, cancellationToken).ConfigureAwait(false);
        return MessageOutcome.Acknowledge($"handed on ({why})");
    }

    /// <summary>
    /// Sends the message of the job's current dispatch. A send that fails is left to the
    /// reconciler: the job item says when its message was due, which is all it needs.
    /// </summary>
    private async Task SendAsync(Job job, TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await queue.EnqueueAsync(new JobMessage(job.Id, job.Dispatch), delay, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogSendFailed(logger, job.Dispatch, ex);
        }
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
        await notifier.EnsureNotifiedAsync(canceled.Job!, cancellationToken).ConfigureAwait(false);
        return MessageOutcome.Acknowledge("canceled");
    }

    /// <summary>
    /// A conditional write lost, and <paramref name="current"/> is the job that refused it: finish the
    /// notice if it is done, let go of a message another dispatch replaced, else let it come back.
    /// </summary>
    private async Task<MessageOutcome> SettleAsync(Job? current, int dispatch, CancellationToken cancellationToken)
    {
        if (current is null)
        {
            return MessageOutcome.Acknowledge("the job is gone");
        }

        if (current.Status.IsTerminal())
        {
            await notifier.EnsureNotifiedAsync(current, cancellationToken).ConfigureAwait(false);
            return MessageOutcome.Acknowledge($"already {current.Status.ToName()}");
        }

        if (current.Dispatch != dispatch)
        {
            return MessageOutcome.Acknowledge($"superseded by dispatch {current.Dispatch}");
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retrying after a passing error: {Code} {Detail}; next attempt in {DelaySeconds:0} s")]
    private static partial void LogRetried(ILogger logger, string code, string detail, double delaySeconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deferred for capacity: {Code}, next try in {DelaySeconds:0} s")]
    private static partial void LogDeferred(ILogger logger, string code, double delaySeconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The message of dispatch {Dispatch} could not be sent; the reconciler will send it")]
    private static partial void LogSendFailed(ILogger logger, int dispatch, Exception exception);

    [LoggerMessage(Level = LogLevel.Critical, Message = "The deployment is misconfigured: {Detail}")]
    private static partial void LogMisconfigured(ILogger logger, string detail);

    [LoggerMessage(Level = LogLevel.Information, Message = "Canceled")]
    private static partial void LogCanceled(ILogger logger);
}
