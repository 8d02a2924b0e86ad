using System.Text.Json.Serialization;

namespace Jobs.Shared.Models.Tasks;

/// <summary>Whether a task takes a prompt: Fast Upscale and background removal take none, Erase none, Outpaint may.</summary>
public enum PromptUse
{
    [JsonStringEnumMemberName("none")]
    None,
    [JsonStringEnumMemberName("optional")]
    Optional,
    [JsonStringEnumMemberName("required")]
    Required,
}
