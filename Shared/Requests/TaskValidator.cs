using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Jobs.Shared.Jobs;
using Jobs.Shared.Models;
using Jobs.Shared.Models.Tasks;

namespace Jobs.Shared.Requests;

/// <summary>
/// Validates a job that reads input images against the model's offer of its task: the prompt as
/// the task takes it, every parameter in range, the inputs named by well-formed upload ids. Whether
/// the uploads exist and fit the model is checked next, by the producer, which can read them.
/// </summary>
public static partial class TaskValidator
{
    /// <summary>The input fields of a submission and whether each was given.</summary>
    public static IEnumerable<(string Field, bool Given)> InputFields(JobSubmission submission)
    {
        ArgumentNullException.ThrowIfNull(submission);
        yield return ("image", submission.Image is not null);
        yield return ("mask", submission.Mask is not null);
        yield return ("images", submission.Images is not null);
        yield return ("styleImage", submission.StyleImage is not null);
        yield return ("referenceImage", submission.ReferenceImage is not null);
    }

    public static ValidationOutcome Validate(JobSubmission submission, string task, ImageModel model, ModelCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(submission);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(catalog);
        var errors = new List<FieldError>();
        if (!model.Tasks.TryGetValue(task, out var offer))
        {
            errors.Add(new FieldError("task", $"{model.Id} does not run {task}; it runs on {string.Join(", ", catalog.ModelsFor(task).Select(m => m.Id))}."));
            return ValidationOutcome.Invalid(errors);
        }

        var on = $"{task} on {model.Id}";
        CheckPrompt(submission, offer, model, on, errors);
        foreach (var (field, sent) in new[]
        {
            ("width", submission.Width is not null), ("height", submission.Height is not null), ("style", submission.Style is not null),
            ("steps", submission.Steps is not null), ("aspectRatio", submission.AspectRatio is not null && !offer.AspectRatios),
        })
        {
            if (sent)
            {
                errors.Add(new FieldError(field, $"is not taken by {on}: the output follows the input image."));
            }
        }

        if (offer.AspectRatios && submission.AspectRatio is { } ratio && !TaskOffers.StyleGuideAspectRatios.Contains(ratio, StringComparer.Ordinal))
        {
            errors.Add(new FieldError("aspectRatio", $"must be one of {string.Join(", ", TaskOffers.StyleGuideAspectRatios)} for {on}."));
        }

        var seed = submission.Seed ?? 0;
        if (!offer.TakesSeed && submission.Seed is not null)
        {
            errors.Add(new FieldError("seed", $"is not taken by {on}, which gives the same result every time."));
        }
        else if (seed < 0 || seed > model.Rules.SeedMax)
        {
            errors.Add(new FieldError("seed", $"must be between 0 and {model.Rules.SeedMax} for {model.Id}."));
        }

        var count = submission.Count ?? 1;
        if (count < 1 || count > offer.MaxCount)
        {
            errors.Add(new FieldError("count", offer.MaxCount == 1 ? $"must be 1 for {on}, which makes one image per request." : $"must be between 1 and {offer.MaxCount} for {on}."));
        }

        var outputFormat = submission.OutputFormat ?? "png";
        if (outputFormat != "png")
        {
            errors.Add(new FieldError("outputFormat", "must be png."));
        }

        var quality = JobRequestValidator.CheckChoice("quality", submission.Quality, model.Rules.Qualities, model, errors);
        var cfgScale = JobRequestValidator.CheckNumber("cfgScale", submission.CfgScale, model.Rules.CfgScale, model, errors);
        var inputs = CheckInputs(submission, offer, on, errors);
        var parameters = CheckParameters(submission, offer, on, catalog, errors);

        var given = new HashSet<string>(inputs.Select(i => i.Name).Concat(parameters.Keys), StringComparer.Ordinal);
        if (offer.ExactlyOneOf is { } oneOf && oneOf.Count(given.Contains) != 1)
        {
            errors.Add(new FieldError(oneOf[0], $"give exactly one of {string.Join(" or ", oneOf)} for {on}."));
        }

        if (offer.AnyNonZeroOf is { } nonZero && !nonZero.Any(f => parameters.TryGetValue(f, out var v) && double.Parse(v, CultureInfo.InvariantCulture) > 0))
        {
            errors.Add(new FieldError(nonZero[0], $"at least one of {string.Join(", ", nonZero)} must be above 0 for {on}: the pixels to add on that side."));
        }

        if (errors.Count > 0)
        {
            return ValidationOutcome.Invalid(errors);
        }

        return ValidationOutcome.Valid(new JobRequest
        {
            Task = task,
            Prompt = PromptText.IsBlank(submission.Prompt) ? string.Empty : submission.Prompt!,
            NegativePrompt = string.IsNullOrEmpty(submission.NegativePrompt) ? null : submission.NegativePrompt,
            Model = model.Id,
            AspectRatio = offer.AspectRatios ? submission.AspectRatio ?? "1:1" : null,
            Seed = seed,
            Count = count,
            OutputFormat = outputFormat,
            Quality = quality,
            CfgScale = cfgScale,
            Inputs = inputs,
            Parameters = parameters,
        });
    }

    private static void CheckPrompt(JobSubmission submission, TaskOffer offer, ImageModel model, string on, List<FieldError> errors)
    {
        var blank = PromptText.IsBlank(submission.Prompt);
        if (offer.Prompt == PromptUse.None && submission.Prompt is not null)
        {
            errors.Add(new FieldError("prompt", $"is not taken by {on}."));
        }
        else if (offer.Prompt == PromptUse.Required && blank)
        {
            errors.Add(new FieldError("prompt", $"is required by {on} and " + JobRequestValidator.NotBlank));
        }
        else if (!blank && submission.Prompt!.Length > model.Rules.PromptMaxLength)
        {
            errors.Add(JobRequestValidator.TooLong("prompt", submission.Prompt, model.Rules.PromptMaxLength, model));
        }

        if (submission.NegativePrompt is { } negative)
        {
            if (!offer.NegativePrompt)
            {
                errors.Add(new FieldError("negativePrompt", $"is not taken by {on}."));
            }
            else if (negative.Length > model.Rules.NegativePromptMaxLength)
            {
                errors.Add(JobRequestValidator.TooLong("negativePrompt", negative, model.Rules.NegativePromptMaxLength, model));
            }
        }
    }

    private static List<JobInput> CheckInputs(JobSubmission submission, TaskOffer offer, string on, List<FieldError> errors)
    {
        var inputs = new List<JobInput>();
        var values = new Dictionary<string, IReadOnlyList<string>?>(StringComparer.Ordinal)
        {
            ["image"] = submission.Image is { } image ? [image] : null,
            ["mask"] = submission.Mask is { } mask ? [mask] : null,
            ["images"] = submission.Images,
            ["styleImage"] = submission.StyleImage is { } style ? [style] : null,
            ["referenceImage"] = submission.ReferenceImage is { } reference ? [reference] : null,
        };
        foreach (var (field, ids) in values)
        {
            var wanted = offer.Input(field);
            if (wanted is null)
            {
                if (ids is not null)
                {
                    errors.Add(new FieldError(field, $"is not taken by {on}; it reads {string.Join(", ", offer.Inputs.Select(i => i.Name))}."));
                }

                continue;
            }

            if (ids is null)
            {
                if (wanted.Required)
                {
                    errors.Add(new FieldError(field, wanted.MaxImages > 1
                        ? $"is required by {on}: a list of 1 to {wanted.MaxImages} upload ids (POST /uploads)."
                        : $"is required by {on}: the id of an upload (POST /uploads)."));
                }

                continue;
            }

            if (ids.Count == 0 || ids.Count > wanted.MaxImages)
            {
                errors.Add(new FieldError(field, $"must list 1 to {wanted.MaxImages} upload ids for {on}."));
                continue;
            }

            for (var i = 0; i < ids.Count; i++)
            {
                var at = submission.Images is not null && field == "images" ? $"images[{i}]" : field;
                if (ids[i] is null || !UploadId().IsMatch(ids[i]))
                {
                    errors.Add(new FieldError(at, "must be an upload id from POST /uploads (32 hexadecimal characters)."));
                    continue;
                }

                inputs.Add(new JobInput(field, ids[i]));
            }
        }

        return inputs;
    }

    private static Dictionary<string, string> CheckParameters(JobSubmission submission, TaskOffer offer, string on, ModelCatalog catalog, List<FieldError> errors)
    {
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        var fields = submission.UnknownFields ?? [];
        foreach (var (name, value) in fields)
        {
            var parameter = offer.Parameter(name);
            if (parameter is null)
            {
                var elsewhere = catalog.Models.SelectMany(m => m.Tasks.Values).Any(o => o.Parameter(name) is not null);
                errors.Add(new FieldError(name, elsewhere ? $"is not taken by {on}." : "is not a field of a job request."));
                continue;
            }

            if (Read(parameter, value) is { } text)
            {
                parameters[name] = text;
            }
            else
            {
                errors.Add(new FieldError(name, Rule(parameter) + $" for {on}."));
            }
        }

        foreach (var parameter in offer.Parameters.Where(p => p.Required && !fields.ContainsKey(p.Name)))
        {
            errors.Add(new FieldError(parameter.Name, $"is required by {on}: {Rule(parameter)}."));
        }

        return parameters;
    }

    /// <summary>The value in its stored form, or null when it breaks the parameter's rule.</summary>
    private static string? Read(TaskParameter parameter, JsonElement value)
    {
        var range = parameter.Range;
        switch (parameter.Kind)
        {
            case TaskParameterKind.Number when value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number) && range!.Contains(number):
                return number.ToString("R", CultureInfo.InvariantCulture);
            case TaskParameterKind.Integer when value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var whole) && whole == Math.Floor(whole) && range!.Contains(whole):
                return ((long)whole).ToString(CultureInfo.InvariantCulture);
            case TaskParameterKind.Text when value.ValueKind == JsonValueKind.String && value.GetString() is { } text && !PromptText.IsBlank(text) && text.Length <= range!.Max:
                return text;
            case TaskParameterKind.Choice when value.ValueKind == JsonValueKind.String && value.GetString() is { } choice && parameter.Choices!.Contains(choice, StringComparer.Ordinal):
                return choice;
            case TaskParameterKind.Colors when value.ValueKind == JsonValueKind.Array:
                var colours = value.EnumerateArray().Select(c => c.ValueKind == JsonValueKind.String ? c.GetString() : null).ToList();
                return colours.Count >= range!.Min && colours.Count <= range.Max && colours.All(c => c is not null && Colour().IsMatch(c))
                    ? string.Join(',', colours.Select(c => c!.ToUpperInvariant()))
                    : null;
            default:
                return null;
        }
    }

    private static string Rule(TaskParameter parameter)
    {
        var range = parameter.Range;
        return parameter.Kind switch
        {
            TaskParameterKind.Number => string.Create(CultureInfo.InvariantCulture, $"must be a number from {range!.Min} to {range.Max}"),
            TaskParameterKind.Integer => string.Create(CultureInfo.InvariantCulture, $"must be a whole number from {range!.Min} to {range.Max}"),
            TaskParameterKind.Text => string.Create(CultureInfo.InvariantCulture, $"must be text of 1 to {range!.Max} characters, not blank"),
            TaskParameterKind.Choice => $"must be one of {string.Join(", ", parameter.Choices!)}",
            _ => string.Create(CultureInfo.InvariantCulture, $"must be a list of {range!.Min} to {range.Max} colours as \"#RRGGBB\""),
        };
    }

    [GeneratedRegex("^[0-9a-f]{32}$")]
    private static partial Regex UploadId();

    [GeneratedRegex("^#[0-9A-Fa-f]{6}$")]
    private static partial Regex Colour();
}
