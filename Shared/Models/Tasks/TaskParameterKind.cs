namespace Jobs.Shared.Models.Tasks;

/// <summary>The JSON shape of a task parameter.</summary>
public enum TaskParameterKind
{
    /// <summary>A number within a range.</summary>
    Number,
    /// <summary>A whole number within a range.</summary>
    Integer,
    /// <summary>Free text up to a length (a search or mask prompt).</summary>
    Text,
    /// <summary>One of a fixed set of strings.</summary>
    Choice,
    /// <summary>A list of <c>#RRGGBB</c> colours.</summary>
    Colors,
}
