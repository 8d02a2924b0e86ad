namespace Jobs.Producer.Api;

/// <summary>The <c>type</c> URIs of the problems this API answers with; the README explains each.</summary>
public static class ProblemTypes
{
    public const string Validation = "/problems/validation";
    public const string MalformedJson = "/problems/malformed-json";
    public const string UnsupportedMediaType = "/problems/unsupported-media-type";
    public const string PayloadTooLarge = "/problems/payload-too-large";
    public const string NotFound = "/problems/not-found";
    public const string Conflict = "/problems/conflict";
    public const string IdempotencyKeyReused = "/problems/idempotency-key-reused";
    public const string MethodNotAllowed = "/problems/method-not-allowed";
    public const string Unavailable = "/problems/unavailable";
    public const string Internal = "/problems/internal";
}
