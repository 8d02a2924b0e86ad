using Jobs.Local.Cli;
using Jobs.Local.Hosting;
using Microsoft.Extensions.Logging;

namespace Jobs.Tests.Support;

/// <summary>
/// The local stack, started once per test run on first use and stopped at the end of the run.
/// The consumer's timeout is short so a crashed invocation's message comes back within seconds.
/// </summary>
public static class TestStack
{
    private static readonly Lazy<Task<LocalStack>> Stack = new(StartAsync);
    private static NoticeInbox? _inbox;

    public static Task<LocalStack> GetAsync() => Stack.Value;

    /// <summary>One reader of the notices queue for the whole run, so no test consumes another's notices unseen.</summary>
    public static async Task<NoticeInbox> InboxAsync()
    {
        var stack = await GetAsync().ConfigureAwait(false);
        return _inbox ??= new NoticeInbox(stack.Sqs, stack.InboxQueueUrl);
    }

    internal static async Task StopAsync()
    {
        if (Stack.IsValueCreated && Stack.Value.IsCompletedSuccessfully)
        {
            await Stack.Value.Result.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static Task<LocalStack> StartAsync()
    {
        var options = new LocalStackOptions
        {
            // The consumer's deadline (and so a claim's lease) ends before the message reappears.
            VisibilityTimeout = TimeSpan.FromSeconds(10),
            LogLevel = LogLevel.Warning,
            // Every call the functions make is checked against their IAM policies (IamCoverageTests).
            RecordAwsCalls = true,
        };
        options.Poller.FunctionTimeout = TimeSpan.FromSeconds(8);
        // Bedrock's bad days, compressed: short backoffs, a circuit that breaks for two seconds,
        // and throttled jobs that come back within a few seconds instead of minutes.
        options.ConfigureBedrockClient = bedrock =>
        {
            bedrock.RetryBaseDelay = TimeSpan.FromMilliseconds(50);
            bedrock.RetryMaxDelay = TimeSpan.FromMilliseconds(400);
            bedrock.MaxRetries = 2;
            bedrock.AttemptTimeout = TimeSpan.FromSeconds(4);
            bedrock.CircuitBreakDuration = TimeSpan.FromSeconds(2);
            bedrock.CircuitSamplingDuration = TimeSpan.FromSeconds(10);
        };
        // The pace is stored in DynamoDB, so one test's throttles would slow every later test of that
        // model: off here, so no test depends on another. The pace's own tests give it a table of its own.
        options.ConfigurePace = pace => pace.Enabled = false;
        options.Consumer.DeferralBaseDelay = TimeSpan.FromSeconds(1);
        options.Consumer.DeferralMaxDelay = TimeSpan.FromSeconds(4);
        // The fake answers in milliseconds; the 8-second invocations leave calls time to start.
        options.Consumer.MinimumAttemptBudget = TimeSpan.FromSeconds(1);
        options.Consumer.RetryBaseDelay = TimeSpan.FromMilliseconds(500);
        options.Consumer.RetryMaxDelay = TimeSpan.FromSeconds(2);
        return LocalStack.StartAsync(options, new Progress<string>(line => TestContext.Progress.WriteLine(line)), CancellationToken.None);
    }
}
