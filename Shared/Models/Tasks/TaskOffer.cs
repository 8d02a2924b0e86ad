namespace Jobs.Shared.Models.Tasks;

/// <summary>
/// A task as one model runs it: what it reads, which parameters it takes and within which limits.
/// Validation, <c>GET /models</c>, the consumer's request writers and the fake Bedrock all read these,
/// so a rule is stated once.
/// </summary>
/// <param name="Task">The task's name (<see cref="ImageTasks"/>).</param>
/// <param name="Prompt">Whether the task takes a prompt.</param>
/// <param name="NegativePrompt">Whether it takes a negative prompt.</param>
/// <param name="MaxCount">Most images one call makes.</param>
/// <param name="Inputs">The images it reads.</param>
/// <param name="Parameters">Its parameters beyond prompt, seed and count.</param>
/// <param name="InputRule">What every input image must be.</param>
/// <param name="ExactlyOneOf">Fields of which exactly one must be given (Titan's and Nova's mask or mask prompt).</param>
/// <param name="AnyNonZeroOf">Fields of which at least one must be above zero (Outpaint's directions).</param>
/// <param name="MaskSameSize">True when a mask must have the image's size (Titan, Nova); Stability resizes it.</param>
/// <param name="AspectRatios">True when the output is sized by <c>aspectRatio</c> (Style Guide).</param>
/// <param name="TakesSeed">False for the deterministic tools (Remove Background, Fast Upscale), which take no seed.</param>
public sealed record TaskOffer(
    string Task,
    PromptUse Prompt,
    bool NegativePrompt,
    int MaxCount,
    IReadOnlyList<TaskInput> Inputs,
    IReadOnlyList<TaskParameter> Parameters,
    InputImageRule InputRule,
    IReadOnlyList<string>? ExactlyOneOf = null,
    IReadOnlyList<string>? AnyNonZeroOf = null,
    bool MaskSameSize = false,
    bool AspectRatios = false,
    bool TakesSeed = true)
{
    public TaskParameter? Parameter(string name) => Parameters.FirstOrDefault(p => p.Name == name);

    public TaskInput? Input(string name) => Inputs.FirstOrDefault(i => i.Name == name);
}
