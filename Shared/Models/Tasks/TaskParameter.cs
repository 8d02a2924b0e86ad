namespace Jobs.Shared.Models.Tasks;

/// <summary>
/// One parameter of a task on a model, named as the camelCase of Bedrock's own name
/// (<c>grow_mask</c> is <c>growMask</c>), with the limits Bedrock enforces, so the API refuses what
/// Bedrock would refuse before the job is queued or paid for.
/// </summary>
/// <param name="Name">The request field.</param>
/// <param name="Kind">Its JSON shape.</param>
/// <param name="Range">Limits and default of a number; for text the maximum length is <c>Range.Max</c>; for colours the count.</param>
/// <param name="Choices">The allowed values of a choice.</param>
/// <param name="Required">True when the task cannot run without it.</param>
public sealed record TaskParameter(string Name, TaskParameterKind Kind, NumberRange? Range = null, IReadOnlyList<string>? Choices = null, bool Required = false)
{
    public static TaskParameter Number(string name, double min, double max, double defaultValue, bool required = false) =>
        new(name, TaskParameterKind.Number, new NumberRange(min, max, defaultValue), Required: required);

    public static TaskParameter Integer(string name, int min, int max, int defaultValue) =>
        new(name, TaskParameterKind.Integer, new NumberRange(min, max, defaultValue));

    public static TaskParameter Text(string name, int maxLength, bool required = false) =>
        new(name, TaskParameterKind.Text, new NumberRange(1, maxLength, 0), Required: required);

    public static TaskParameter Choice(string name, IReadOnlyList<string> choices) => new(name, TaskParameterKind.Choice, Choices: choices);
}
