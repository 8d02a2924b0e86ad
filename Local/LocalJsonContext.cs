using System.Text.Json.Serialization;

namespace Jobs.Local;

/// <summary>Source-generated JSON for the local stack's own shapes.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(Dictionary<string, string>))]
public sealed partial class LocalJsonContext : JsonSerializerContext;
