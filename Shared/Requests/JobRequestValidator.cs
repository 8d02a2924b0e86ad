using System.Globalization;
using Jobs.Shared.Jobs;
using Jobs.Shared.Models;
using Jobs.Shared.Models.Tasks;

namespace Jobs.Shared.Requests;

/// <summary>
/// Turns what a client sent into a <see cref="JobRequest"/> the chosen model accepts, or into the
/// full list of broken rules, so one <c>400</c> tells the client everything at once.
/// </summary>
public sealed class JobRequestValidator(ModelCatalog catalog)
{
    /// <summary>The longest <c>deadlineSeconds</c>: a day, the consumer's own limit on any job's wait.</summary>
    public const int MaxDeadlineSeconds = 86_400;

    public ValidationOutcome Validate(JobSubmission submission)
    {
        ArgumentNullException.ThrowIfNull(submission);
        var errors = new List<FieldError>();
        var task = submission.Task ?? ImageTasks.TextToImage;
        if (!ImageTasks.All.Contains(task, StringComparer.Ordinal))
        {
            errors.Add(new FieldError("task", $"'{task}' is not a task; tasks are {string.Join(", ", ImageTasks.All)}."));
            return ValidationOutcome.Invalid(errors);
        }

        var modelId = submission.Model ?? catalog.DefaultFor(task);
        if (modelId is null)
        {
            errors.Add(new FieldError("model", $"is required for {task}: no Active model runs it; it runs on {string.Join(", ", catalog.ModelsFor(task).Select(m => m.Id))}."));
            return ValidationOutcome.Invalid(errors);
        }

        if (!catalog.TryGet(modelId, out var model))
        {
            errors.Add(new FieldError("model", $"'{modelId}' is not a known model; GET /models lists them."));
            return ValidationOutcome.Invalid(errors);
        }

        if (task != ImageTasks.TextToImage)
        {
            return TaskValidator.Validate(submission, task, model, catalog);
        }

        foreach (var name in submission.UnknownFields?.Keys ?? Enumerable.Empty<string>())
        {
            errors.Add(new FieldError(name, "is not a field of a job request."));
        }

        if (!model.TextToImage)
        {
            errors.Add(new FieldError("model", $"{model.Id} does not make images from text; it runs {string.Join(", ", model.Tasks.Keys)} (set task)."));
            return ValidationOutcome.Invalid(errors);
        }

        foreach (var (field, given) in TaskValidator.InputFields(submission))
        {
            if (given)
            {
                errors.Add(new FieldError(field, "is read only by tasks that take an input image; set task (inpaint, upscale, …)."));
            }
        }

        var rules = model.Rules;
        CheckPrompts(submission, model, errors);
        var (aspectRatio, size) = CheckSize(submission, model, errors);

        if (submission.DeadlineSeconds is { } deadline && deadline is < 1 or > MaxDeadlineSeconds)
        {
            errors.Add(new FieldError("deadlineSeconds", $"must be between 1 and {MaxDeadlineSeconds} (24 hours)."));
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

        var style = CheckChoice("style", submission.Style, rules.Styles, model, errors);
        var quality = CheckChoice("quality", submission.Quality, rules.Qualities, model, errors);
        var cfgScale = CheckNumber("cfgScale", submission.CfgScale, rules.CfgScale, model, errors);
        var steps = CheckNumber("steps", submission.Steps, rules.Steps, model, errors);

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
            Width = size?.Width,
            Height = size?.Height,
            Seed = seed,
            Count = count,
            OutputFormat = outputFormat,
            Style = style,
            Quality = quality,
            CfgScale = cfgScale,
            Steps = steps is { } s ? (int)s : null,
        });
    }

    /// <summary>What a blank prompt is told, by every validator (blank is judged by <see cref="PromptText.IsBlank"/>).</summary>
    internal const string NotBlank = "must not be blank (white space, control and zero-width characters do not count).";

    internal static void CheckPrompts(JobSubmission submission, ImageModel model, List<FieldError> errors)
    {
        if (PromptText.IsBlank(submission.Prompt))
        {
            errors.Add(new FieldError("prompt", "is required and " + NotBlank));
        }
        else if (submission.Prompt.Length > model.Rules.PromptMaxLength)
        {
            errors.Add(TooLong("prompt", submission.Prompt, model.Rules.PromptMaxLength, model));
        }

        if (submission.NegativePrompt is { } negative && negative.Length > model.Rules.NegativePromptMaxLength)
        {
            errors.Add(TooLong("negativePrompt", negative, model.Rules.NegativePromptMaxLength, model));
        }
    }

    /// <summary>A prompt field over the model's limit.</summary>
    internal static FieldError TooLong(string field, string text, int max, ImageModel model) =>
        new(field, $"must be at most {max} characters for {model.Id} (it has {text.Length}).");

    private static (string? AspectRatio, ImageSize? Size) CheckSize(JobSubmission submission, ImageModel model, List<FieldError> errors)
    {
        var rules = model.Rules;
        if (rules.AspectRatios is { } ratios)
        {
            var aspectRatio = submission.AspectRatio ?? rules.DefaultAspectRatio;
            if (aspectRatio is null || !ratios.ContainsKey(aspectRatio))
            {
                errors.Add(new FieldError("aspectRatio", $"must be one of {string.Join(", ", ratios.Keys)} for {model.Id}."));
            }

            foreach (var (field, value) in new[] { ("width", submission.Width), ("height", submission.Height) })
            {
                if (value is not null)
                {
                    errors.Add(new FieldError(field, $"is not accepted by {model.Id}, which is sized by aspectRatio."));
                }
            }

            return (aspectRatio, null);
        }

        if (submission.AspectRatio is not null)
        {
            errors.Add(new FieldError("aspectRatio", $"is not accepted by {model.Id}, which is sized by width and height."));
        }

        if (submission.Width is null != submission.Height is null)
        {
            errors.Add(new FieldError(submission.Width is null ? "width" : "height", "must be given together with the other side."));
            return (null, null);
        }

        var size = submission.Width is { } w && submission.Height is { } h ? new ImageSize(w, h) : rules.DefaultSize!.Value;
        if (rules.Sizes is { } sizes && !sizes.Contains(size))
        {
            errors.Add(new FieldError("width", $"{size.Width}×{size.Height} is not a size {model.Id} makes; it takes " +
                string.Join(", ", sizes.Select(s => $"{s.Width}×{s.Height}")) + "."));
        }
        else if (rules.FreeSize?.Check(size.Width, size.Height) is { } problem)
        {
            errors.Add(new FieldError("width", $"{size.Width}×{size.Height} is not allowed for {model.Id}: {problem}."));
        }

        return (null, size);
    }

    internal static string? CheckChoice(string field, string? value, IReadOnlyList<string>? allowed, ImageModel model, List<FieldError> errors)
    {
        if (value is null)
        {
            return null;
        }

        if (allowed is null)
        {
            errors.Add(new FieldError(field, $"is not accepted by {model.Id}."));
        }
        else if (!allowed.Contains(value, StringComparer.Ordinal))
        {
            errors.Add(new FieldError(field, $"must be one of {string.Join(", ", allowed)} for {model.Id}."));
        }

        return value;
    }

    internal static double? CheckNumber(string field, double? value, NumberRange? range, ImageModel model, List<FieldError> errors)
    {
        if (value is not { } number)
        {
            return null;
        }

        if (range is null)
        {
            errors.Add(new FieldError(field, $"is not accepted by {model.Id}."));
        }
        else if (!range.Contains(number))
        {
            errors.Add(new FieldError(field, string.Create(CultureInfo.InvariantCulture, $"must be between {range.Min} and {range.Max} for {model.Id}.")));
        }

        return number;
    }
}
