using Jobs.Shared.Jobs;

namespace Jobs.Shared.Requests;

/// <summary>
/// Either a valid request or every rule it broke. A class with named constructors rather than a
/// tuple so a caller cannot read a request that failed validation.
/// </summary>
public sealed class ValidationOutcome
{
    private ValidationOutcome(JobRequest? request, IReadOnlyList<FieldError> errors)
    {
        Request = request;
        Errors = errors;
    }

    public JobRequest? Request { get; }

    public IReadOnlyList<FieldError> Errors { get; }

    public bool IsValid => Request is not null;

    public static ValidationOutcome Valid(JobRequest request) => new(request, []);

    public static ValidationOutcome Invalid(IReadOnlyList<FieldError> errors) => new(null, errors);
}
