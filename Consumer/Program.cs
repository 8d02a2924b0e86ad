using Jobs.Consumer;
using Jobs.Shared.Json;
using Jobs.Shared.Lambda;
using Microsoft.Extensions.DependencyInjection;

return await LambdaHost.RunAsync(
    settings => settings.Problems(needsQueue: true, needsTopic: true),
    services => services.AddConsumer(Environment.GetEnvironmentVariable),
    services => services.GetRequiredService<ConsumerFunction>().HandleAsync,
    JobsJsonContext.Default.SqsEvent,
    JobsJsonContext.Default.SqsBatchResponse).ConfigureAwait(false);
