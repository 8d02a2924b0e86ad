namespace Jobs.Local.Client;

/// <summary>
/// What the <c>jobs</c> client's exit code tells a script. Stable: scripts branch on them, and the
/// README lists them.
/// </summary>
public static class ClientExitCodes
{
    /// <summary>Done; for a command that waits, the job succeeded.</summary>
    public const int Ok = 0;

    /// <summary>The job ended failed or canceled.</summary>
    public const int JobNotSucceeded = 1;

    /// <summary>The command line or the request was wrong: a usage error, or the API answered 4xx (404 aside).</summary>
    public const int Refused = 2;

    /// <summary>No such job.</summary>
    public const int NotFound = 3;

    /// <summary>The API could not be reached, answered 5xx, or the wait ran out.</summary>
    public const int Unavailable = 4;
}
