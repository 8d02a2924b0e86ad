using System.Globalization;
using Jobs.Consumer;
using Jobs.Local.Hosting;
using Jobs.Shared.Aws;
using Jobs.Shared.Configuration;
using Jobs.Shared.Jobs;
using Jobs.Shared.Lambda;
using Jobs.Consumer.Metrics;
using Jobs.Shared.Queue;
using Jobs.Shared.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Jobs.Tests.Support;

/// <summary>
/// Invokes the consumer handler directly with an SQS event, as Lambda's event source mapping
/// would, against the local stack's real DynamoDB, S3, SNS and fake Bedrock. Lets a test choose
/// the receive count and source queue, and swap one adapter for a wrapper that crashes after its
/// step; everything else is the production wiring.
/// </summary>
public sealed class ConsumerHarness : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    public ConsumerHarness(LocalStack stack, Action<IServiceCollection>? replace = null, ConsumerOptions? options = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(stack);
        Stack = stack;
        Time = time ?? TimeProvider.System;
        var services = new ServiceCollection().AddJobsLogging(LogLevel.Warning).AddSingleton(Time);
        replace?.Invoke(services);
        // Its AWS calls are the consumer's, recorded with the stack's own (unless the test wired HTTP itself).
        services.TryAddSingleton(new AwsHttpOptions { WrapHandler = stack.AwsCalls?.HandlerFor("consumer") });
        var settings = JobsSettings.FromEnvironment(Environment.GetEnvironmentVariable);
        var consumer = ConsumerSettings.FromEnvironment(Environment.GetEnvironmentVariable);
        stack.Options.ConfigureBedrockClient?.Invoke(consumer.Bedrock);
        stack.Options.ConfigurePace?.Invoke(consumer.Pace);
        _services = services
            .AddJobsCore(settings)
            .AddSingleton(options ?? stack.Options.Consumer)
            .AddSingleton(new JobMetrics(TextWriter.Null, TimeProvider.System, "consumer"))
            .AddConsumer(consumer, Environment.GetEnvironmentVariable)
            .BuildServiceProvider();
    }

    public LocalStack Stack { get; }

    /// <summary>The consumer's clock; invocation deadlines are measured on it.</summary>
    public TimeProvider Time { get; }

    public IJobStore Store => _services.GetRequiredService<IJobStore>();

    public T Get<T>()
        where T : notnull => _services.GetRequiredService<T>();

    /// <summary>Writes a queued job straight to the table, as the producer would, without sending its message.</summary>
    public async Task<Job> CreateQueuedAsync(string prompt, string? model = null, DateTimeOffset? createdAt = null, Func<Job, Job>? shape = null)
    {
        var now = createdAt ?? DateTimeOffset.UtcNow;
        var job = new Job
        {
            Id = Guid.CreateVersion7(now).ToString("D"),
            Status = JobStatus.Queued,
            Request = new JobRequest { Prompt = prompt, Model = model ?? "stability.stable-image-core-v1:1", AspectRatio = "1:1", Seed = 7 },
            CreatedAt = now,
            UpdatedAt = now,
            ExpiresAt = now.AddDays(1),
        };
        job = shape?.Invoke(job) ?? job;
        // Through the operator's services: this is the producer's write, not a call of the consumer's.
        await Stack.Services.GetRequiredService<IJobStore>().CreateAsync(job, CancellationToken.None).ConfigureAwait(false);
        return job;
    }

    /// <summary>One SQS record for the job, as delivered for the <paramref name="receiveCount"/>-th time.</summary>
    public static SqsEventMessage MessageFor(string jobId, int receiveCount = 1, string? sourceArn = null) =>
        Message($"{{\"jobId\":\"{jobId}\"}}", receiveCount, sourceArn);

    public static SqsEventMessage Message(string body, int receiveCount = 1, string? sourceArn = null) => new()
    {
        MessageId = Guid.NewGuid().ToString(),
        ReceiptHandle = Guid.NewGuid().ToString(),
        Body = body,
        Attributes = new Dictionary<string, string> { ["ApproximateReceiveCount"] = receiveCount.ToString(CultureInfo.InvariantCulture) },
        EventSourceArn = sourceArn ?? "arn:aws:sqs:us-east-1:000000000000:jobs",
    };

    /// <summary>Runs one invocation with the given records and a deadline like the stack's consumer has; returns the ids to redeliver.</summary>
    public async Task<IReadOnlyList<string>> InvokeAsync(IReadOnlyList<SqsEventMessage> records, CancellationToken cancellationToken = default, TimeSpan? timeout = null)
    {
        var context = new LambdaContext(Guid.NewGuid().ToString(), Time.GetUtcNow() + (timeout ?? Stack.Options.Poller.FunctionTimeout), null, null);
        var response = await Get<ConsumerFunction>().HandleAsync(new SqsEvent { Records = records }, context, cancellationToken).ConfigureAwait(false);
        return response.BatchItemFailures.Select(f => f.ItemIdentifier).ToList();
    }

    public Task<IReadOnlyList<string>> InvokeAsync(SqsEventMessage record, CancellationToken cancellationToken = default, TimeSpan? timeout = null) =>
        InvokeAsync([record], cancellationToken, timeout);

    /// <summary>The queue adapter, to check what a deferral sent.</summary>
    public IJobQueue Queue => Get<IJobQueue>();

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
