using Jobs.Shared.Models;

namespace Jobs.Shared.Jobs;

/// <summary>
/// Turns what a client sent into a <see cref="JobRequest"/> the chosen model accepts, or into the
/// full list of broken rules, so one <c>400</c> tells the client everything at once.
/// </summary>
public sealed class JobRequestValidator(ModelCatalog catalog)
{
    public ValidationOutcome Validate(JobSubmission submission)
    {
        ArgumentNullException.ThrowIfNull(submission);
        var errors = new List<FieldError>();

        foreach (var name in submission.UnknownFields?.Keys ?? Enumerable.Empty<string>())
        {
            errors.Add(new FieldError(name, "is not a field of a job request."));
        }

        var modelId = submission.Model ?? catalog.DefaultModelId;
        if (!catalog.TryGet(modelId, out var model))
        {
            errors.Add(new FieldError("model", $"'{modelId}' is not a known model; GET /models lists them."));
            return ValidationOutcome.Invalid(errors);
        }

        var rules = model.Rules;
        if (string.IsNullOrWhiteSpace(submission.Prompt))
        {
            errors.Add(new FieldError("prompt", "is required and must not be blank."));
        }
        else if (submission.Prompt.Length > rules.PromptMaxLength)
        {
            errors.Add(new FieldError("prompt", $"must be at most {rules.PromptMaxLength} characters for {model.Id} (it has {submission.Prompt.Length})."));
        }

        if (submission.NegativePrompt is { Length: var negativeLength } && negativeLength > rules.NegativePromptMaxLength)
        {
            errors.Add(new FieldError("negativePrompt", $"must be at most {rules.NegativePromptMaxLength} characters for {model.Id} (it has {negativeLength})."));
        }

        string? aspectRatio = null;
        if (rules.AspectRatios is { } ratios)
        {
            aspectRatio = submission.AspectRatio ?? rules.DefaultAspectRatio;
            if (aspectRatio is null || !ratios.ContainsKey(aspectRatio))
            {
                errors.Add(new FieldError("aspectRatio", $"must be one of {string.Join(", ", ratios.Keys)} for {model.Id}."));
            }

            if (submission.Width is not null)
            {
                errors.Add(new FieldError("width", $"is not accepted by {model.Id}, which is sized by aspectRatio."));
            }

            if (submission.Height is not null)
            {
                errors.Add(new FieldError("height", $"is not accepted by {model.Id}, which is sized by aspectRatio."));
            }
        }

        var seed = submission.Seed ?? 0;
        if (seed < 0 || seed > rules.SeedMax)
        {
            errors.Add(new FieldError("seed", $"must be between 0 and {rules.SeedMax} for {model.Id}."));
        }

        var count = submission.Count ?? 1;
        if (count < 1 || count > rules.MaxCount)
        {
            errors.Add(new FieldError("count", rules.MaxCount == 1
                ? $"must be 1 for {model.Id}, which makes one image per request."
                : $"must be between 1 and {rules.MaxCount} for {model.Id}."));
        }

        var outputFormat = submission.OutputFormat ?? rules.OutputFormats[0];
        if (!rules.OutputFormats.Contains(outputFormat, StringComparer.Ordinal))
        {
            errors.Add(new FieldError("outputFormat", $"must be one of {string.Join(", ", rules.OutputFormats)}."));
        }

        if (errors.Count > 0)
        {
            return ValidationOutcome.Invalid(errors);
        }

        return ValidationOutcome.Valid(new JobRequest
        {
            Prompt = submission.Prompt!,
            NegativePrompt = string.IsNullOrEmpty(submission.NegativePrompt) ? null : submission.NegativePrompt,
            Model = model.Id,
            AspectRatio = aspectRatio,
            Seed = seed,
            Count = count,
            OutputFormat = outputFormat,
        });
    }
}
