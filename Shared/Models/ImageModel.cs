namespace Jobs.Shared.Models;

/// <summary>One Bedrock image model the service can call, with the rules its requests must follow.</summary>
public sealed record ImageModel(string Id, string Name, ModelFamily Family, ModelLifecycle Lifecycle, ModelRules Rules);
