using System.Text.Json.Serialization;

namespace Jobs.Shared.Models;

/// <summary>Bedrock's lifecycle for a model: a Legacy model may vanish for accounts that have not used it lately.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ModelLifecycle>))]
public enum ModelLifecycle
{
    [JsonStringEnumMemberName("active")] Active,
    [JsonStringEnumMemberName("legacy")] Legacy,
    [JsonStringEnumMemberName("end-of-life")] EndOfLife,
}
