namespace Jobs.Local.Soak;

/// <summary>How hard the fault soak pushes: its length, its job stream, its faults. Defaults suit a ten-minute run.</summary>
public sealed class SoakOptions
{
    /// <summary>How long jobs are submitted; the soak then waits for them all to settle. Default 10 min.</summary>
    public TimeSpan Duration { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Jobs submitted per second. Default 2.</summary>
    public double JobsPerSecond { get; set; } = 2;

    /// <summary>Share of jobs a client cancels at a random moment. Default 0.1.</summary>
    public double CancelShare { get; set; } = 0.1;

    /// <summary>Share of jobs whose message is delivered twice (a second copy sent at a random moment). Default 0.1.</summary>
    public double DuplicateShare { get; set; } = 0.1;

    /// <summary>Share of jobs whose image the model's content filter blocks. Default 0.01.</summary>
    public double FilteredShare { get; set; } = 0.01;

    /// <summary>Share of Bedrock calls answered with ThrottlingException. Default 0.2.</summary>
    public double ThrottleRate { get; set; } = 0.2;

    /// <summary>Share of Bedrock calls answered with InternalServerException. Default 0.05.</summary>
    public double ServerErrorRate { get; set; } = 0.05;

    /// <summary>Share of Bedrock calls answered with ModelTimeoutException. Default 0.02.</summary>
    public double TimeoutRate { get; set; } = 0.02;

    /// <summary>Shortest and longest wait between two SIGKILLs of a consumer process. Default 2–8 s.</summary>
    public TimeSpan KillEveryMin { get; set; } = TimeSpan.FromSeconds(2);

    public TimeSpan KillEveryMax { get; set; } = TimeSpan.FromSeconds(8);

    /// <summary>Consumer execution environments (Lambda's concurrency for the function). Default 3.</summary>
    public int Sandboxes { get; set; } = 3;

    /// <summary>How long, after the last submission, every job may take to settle before the soak calls it a violation. Default 4 min.</summary>
    public TimeSpan SettleTimeout { get; set; } = TimeSpan.FromMinutes(4);

    /// <summary>Seed of every random choice, so a run can be repeated. Default 7.</summary>
    public int Seed { get; set; } = 7;
}
