using System.Globalization;
using Jobs.Consumer.Batch;
using Jobs.Consumer.Jobs;
using Jobs.Shared.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Jobs.Consumer;

/// <summary>Registers the consumer's handlers; the AWS adapters come from <c>AddJobsCore</c>.</summary>
public static class ConsumerServiceCollectionExtensions
{
    public static IServiceCollection AddConsumer(this IServiceCollection services, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        services.TryAddSingleton(_ =>
        {
            var options = new ConsumerOptions();
            if (int.TryParse(environment("JOBS_CONSUMER_CONCURRENCY"), CultureInfo.InvariantCulture, out var concurrency))
            {
                options.MaxConcurrency = concurrency;
            }

            if (int.TryParse(environment("JOBS_MAX_RECEIVES"), CultureInfo.InvariantCulture, out var receives))
            {
                options.MaxReceives = receives;
            }

            if (double.TryParse(environment("JOBS_JOB_DEADLINE_HOURS"), CultureInfo.InvariantCulture, out var hours))
            {
                options.JobDeadline = TimeSpan.FromHours(hours);
            }

            options.DeadLetterQueueArn = environment("JOBS_DEAD_LETTER_QUEUE_ARN");

            return options;
        });
        services.TryAddSingleton<SqsBatchProcessor>();
        services.TryAddSingleton(sp => new JobMetrics(Console.Out, sp.GetRequiredService<TimeProvider>(), "consumer"));
        services.TryAddSingleton<JobNotifier>();
        services.TryAddSingleton<JobProcessor>();
        services.TryAddSingleton<DeadLetterProcessor>();
        services.TryAddSingleton<ConsumerFunction>();
        return services;
    }
}
