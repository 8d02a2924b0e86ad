namespace Jobs.Shared.Images;

/// <summary>
/// S3 refused the function's role. This is a fault of the deployment, not of a job and not a
/// passing error, so it is never read as "absent" and never retried: the message names the
/// permission an operator must grant.
/// </summary>
public sealed class ImageStorePermissionException(string message, Exception inner) : Exception(message, inner);
