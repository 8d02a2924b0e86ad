using Jobs.Shared.Requests;
using Jobs.Producer.Jobs;

namespace Jobs.Producer.Api;

/// <summary>
/// An RFC 9457 problem document. <see cref="Errors"/> names each field at fault so a client can
/// show the message next to the right input.
/// </summary>
public sealed record ProblemDocument
{
    public required string Type { get; init; }
    public required string Title { get; init; }
    public required int Status { get; init; }
    public string? Detail { get; init; }
    public string? Instance { get; init; }
    public IReadOnlyList<FieldError>? Errors { get; init; }
}
