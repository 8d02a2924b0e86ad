using System.Text.Json.Serialization;

namespace Jobs.Shared.Models.Tasks;

/// <summary>The JSON shape of a task parameter.</summary>
public enum TaskParameterKind
{
    /// <summary>A number within a range.</summary>
    [JsonStringEnumMemberName("number")]
    Number,
    /// <summary>A whole number within a range.</summary>
    [JsonStringEnumMemberName("integer")]
    Integer,
    /// <summary>Free text up to a length (a search or mask prompt).</summary>
    [JsonStringEnumMemberName("text")]
    Text,
    /// <summary>One of a fixed set of strings.</summary>
    [JsonStringEnumMemberName("choice")]
    Choice,
    /// <summary>A list of <c>#RRGGBB</c> colours.</summary>
    [JsonStringEnumMemberName("colors")]
    Colors,
}
