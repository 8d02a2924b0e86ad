using Jobs.Consumer;
using Jobs.Shared.Json;
using Jobs.Shared.Lambda;
using Microsoft.Extensions.DependencyInjection;

var consumer = ConsumerSettings.FromEnvironment(Environment.GetEnvironmentVariable);
return await LambdaHost.RunAsync(
    settings => [.. settings.Problems(needsQueue: true), .. consumer.Problems()],
    services => services.AddConsumer(consumer, Environment.GetEnvironmentVariable),
    services => services.GetRequiredService<ConsumerFunction>().HandleAsync,
    ConsumerJsonContext.Default.ConsumerEvent,
    JobsJsonContext.Default.SqsBatchResponse).ConfigureAwait(false);
