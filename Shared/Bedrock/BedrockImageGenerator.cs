using Jobs.Shared.Jobs;
using Jobs.Shared.Models;
using Polly;
using Polly.Timeout;

namespace Jobs.Shared.Bedrock;

/// <summary>
/// Generates a job's images on Bedrock: picks the model family's request shape, calls InvokeModel
/// through the resilience pipeline, and turns every failure into an
/// <see cref="ImageGenerationException"/> that says whether the job may try again.
/// </summary>
public sealed class BedrockImageGenerator(IBedrockRuntime bedrock, ResiliencePipeline pipeline, ModelCatalog catalog)
{
    public async Task<IReadOnlyList<GeneratedImage>> GenerateAsync(JobRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!catalog.TryGet(request.Model, out var model))
        {
            throw new ImageGenerationException(new JobError(JobErrorCodes.InvalidRequest, $"Model {request.Model} is not in the catalog."), isRetryable: false);
        }

        var body = model.Family switch
        {
            ModelFamily.StabilityImage => StabilityImageFamily.WriteRequest(request),
            _ => throw new ImageGenerationException(new JobError(JobErrorCodes.InvalidRequest, $"Model family {model.Family} is not supported."), isRetryable: false),
        };

        byte[] answer;
        try
        {
            answer = await pipeline.ExecuteAsync(
                static async (state, token) => await state.bedrock.InvokeModelAsync(state.Id, state.body, token).ConfigureAwait(false),
                (bedrock, model.Id, body),
                cancellationToken).ConfigureAwait(false);
        }
        catch (BedrockException ex)
        {
            throw new ImageGenerationException(BedrockErrors.ToJobError(ex), ex.IsRetryable, ex);
        }
        catch (HttpRequestException ex)
        {
            throw new ImageGenerationException(new JobError(JobErrorCodes.Transient, $"Bedrock could not be reached: {ex.Message}"), isRetryable: true, ex);
        }
        catch (TimeoutRejectedException ex)
        {
            throw new ImageGenerationException(new JobError(JobErrorCodes.Transient, "Bedrock did not answer in time."), isRetryable: true, ex);
        }

        return StabilityImageFamily.ReadResponse(answer);
    }
}
