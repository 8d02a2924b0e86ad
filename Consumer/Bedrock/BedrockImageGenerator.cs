using System.Runtime.ExceptionServices;
using Jobs.Shared.Images;
using Jobs.Shared.Jobs;
using Jobs.Shared.Models;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Jobs.Consumer.Bedrock;

/// <summary>
/// Generates a job's images on Bedrock: writes the model family's request, calls InvokeModel
/// through the model's resilience pipeline, reads the family's answer, and turns every failure
/// into an <see cref="ImageGenerationException"/> that says whether the job fails now, tries again
/// (a real error, counted), or waits for capacity (not counted).
/// </summary>
public sealed class BedrockImageGenerator(IBedrockRuntime bedrock, BedrockPipelines pipelines, ModelCatalog catalog, TimeProvider time, Inputs.InputImageLoader? inputs = null)
{
    /// <param name="request">What to generate.</param>
    /// <param name="startBy">
    /// No call to Bedrock starts after this (the invocation must keep time to store a result). A
    /// call already made is never cut short by it: it was paid for, so its answer is waited for,
    /// until its attempt timeout or the end of the invocation (<paramref name="cancellationToken"/>).
    /// </param>
    /// <param name="cancellationToken">Fires when the invocation ends.</param>
    /// <exception cref="ImageGenerationException">No images: a final error, a passing one, or no capacity.</exception>
    /// <exception cref="OperationCanceledException">The invocation ended first.</exception>
    public async Task<IReadOnlyList<GeneratedImage>> GenerateAsync(JobRequest request, DateTimeOffset startBy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!catalog.TryGet(request.Model, out var model))
        {
            throw new ImageGenerationException(new JobError(JobErrorCodes.InvalidRequest, $"Model {request.Model} is not in the catalog."), isRetryable: false);
        }

        var inputImages = request.Inputs.Count == 0 ? []
            : inputs is null ? throw new InvalidOperationException("A job with input images needs the input loader.")
            : await inputs.LoadAsync(request, cancellationToken).ConfigureAwait(false);
        var body = ModelFamilies.WriteRequest(model, request, inputImages);
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(BedrockResilience.StartBy, startBy);
        byte[] answer;
        try
        {
            var outcome = await pipelines.For(model.Id).ExecuteOutcomeAsync(
                static async (ctx, state) =>
                {
                    if (state.time.GetUtcNow() > ctx.Properties.GetValue(BedrockResilience.StartBy, DateTimeOffset.MaxValue))
                    {
                        return Outcome.FromException<byte[]>(new StartWindowClosedException());
                    }

                    try
                    {
                        return Outcome.FromResult(await state.bedrock.InvokeModelAsync(state.InvokeId, state.body, ctx.CancellationToken).ConfigureAwait(false));
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException || !ctx.CancellationToken.IsCancellationRequested)
                    {
                        return Outcome.FromException<byte[]>(ex);
                    }
                },
                context,
                (bedrock, model.InvokeId, body, time)).ConfigureAwait(false);
            if (outcome.Exception is { } failure)
            {
                if (failure is OperationCanceledException && cancellationToken.IsCancellationRequested)
                {
                    // The invocation is ending: the caller hands the record back.
                    ExceptionDispatchInfo.Throw(failure);
                }

                // Out of time to try again: what counts is the last answer Bedrock gave.
                throw failure is StartWindowClosedException && context.Properties.GetValue(BedrockResilience.LastFailure, null) is { } last
                    ? Classify(last, model.Id)
                    : Classify(failure, model.Id);
            }

            answer = outcome.Result!;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }

        var images = ModelFamilies.ReadResponse(model.Family, answer, request);
        if (images.FirstOrDefault(i => !PngInfo.TryReadSize(i.Content, out _)) is not null)
        {
            // The call was answered and paid for; asking again would most likely pay for the same.
            throw new ImageGenerationException(new JobError(JobErrorCodes.ModelError, $"{model.Id} answered with an image that is not a PNG."), isRetryable: false);
        }

        return images;
    }

    private static ImageGenerationException Classify(Exception failure, string modelId) => failure switch
    {
        BedrockException { IsCapacity: true } ex => new ImageGenerationException(BedrockErrors.ToJobError(ex), isRetryable: true, ex, isCapacity: true),
        BedrockException ex => new ImageGenerationException(BedrockErrors.ToJobError(ex), ex.IsRetryable, ex),
        BrokenCircuitException ex => new ImageGenerationException(
            new JobError(JobErrorCodes.ModelUnavailable, $"Calls to {modelId} are paused after repeated server errors; it will be tried again."),
            isRetryable: true,
            ex,
            isCapacity: true),
        HttpRequestException ex => new ImageGenerationException(new JobError(JobErrorCodes.Transient, $"Bedrock could not be reached: {ex.Message}"), isRetryable: true, ex),
        TimeoutRejectedException ex => new ImageGenerationException(new JobError(JobErrorCodes.Transient, "Bedrock did not answer in time."), isRetryable: true, ex),
        StartWindowClosedException ex => new ImageGenerationException(new JobError(JobErrorCodes.Transient, "No time was left in this invocation to call Bedrock."), isRetryable: true, ex),
        _ => new ImageGenerationException(new JobError(JobErrorCodes.Transient, failure.Message), isRetryable: true, failure),
    };
}
