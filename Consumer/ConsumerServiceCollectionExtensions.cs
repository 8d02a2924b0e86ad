using Jobs.Consumer.Batch;
using Jobs.Consumer.Bedrock;
using Jobs.Consumer.Jobs;
using Jobs.Consumer.Metrics;
using Jobs.Consumer.Notices;
using Jobs.Consumer.Pacing;
using Jobs.Consumer.Reconciliation;
using Jobs.Shared.Aws;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Jobs.Consumer;

/// <summary>
/// Registers the consumer: its handlers, Bedrock, the notices and the metrics; the shared adapters
/// come from <c>AddJobsCore</c>. Uses <c>TryAdd</c> so a host or test can register its own first.
/// </summary>
public static class ConsumerServiceCollectionExtensions
{
    public static IServiceCollection AddConsumer(this IServiceCollection services, ConsumerSettings settings, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(settings);
        services.TryAddSingleton(settings);
        services.TryAddSingleton(settings.Consumer);
        services.TryAddSingleton(settings.Bedrock);
        services.TryAddSingleton(settings.Events);
        services.TryAddSingleton(settings.Pace);
        services.TryAddSingleton<IPaceStore, DynamoDbPaceStore>();
        services.TryAddSingleton<ModelPace>();

        services.TryAddSingleton<IJobEvents>(sp => new SnsJobEvents(
            SignedHttpClients.Create(sp, "sns", "SNS", "sns", environment),
            sp.GetRequiredService<JobEventsOptions>(),
            sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<IBedrockRuntime>(sp => new BedrockRuntimeClient(
            SignedHttpClients.Create(sp, "bedrock", "BEDROCK_RUNTIME", "bedrock-runtime", environment),
            sp.GetRequiredService<BedrockOptions>()));
        services.TryAddSingleton(sp => new BedrockPipelines(sp.GetRequiredService<BedrockOptions>(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<Inputs.InputImageLoader>();
        services.TryAddSingleton<BedrockImageGenerator>();

        services.TryAddSingleton(sp => new JobMetrics(Console.Out, sp.GetRequiredService<TimeProvider>(), "consumer"));
        services.TryAddSingleton<SqsBatchProcessor>();
        services.TryAddSingleton<Batches.BatchFinisher>();
        services.TryAddSingleton<Batches.OutputWriter>();
        services.TryAddSingleton<Batches.ScheduledBatches>();
        services.TryAddSingleton<Batches.BatchExpander>();
        services.TryAddSingleton<JobNotifier>();
        services.TryAddSingleton<JobProcessor>();
        services.TryAddSingleton<DeadLetterProcessor>();
        services.TryAddSingleton<Reconciler>();
        services.TryAddSingleton<ConsumerFunction>();
        return services;
    }
}
