namespace Jobs.Shared.Requests;

/// <summary>One rule a request broke: the field (as the client spelled it) and what the rule is.</summary>
public sealed record FieldError(string Field, string Message);
