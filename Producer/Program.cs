using Jobs.Producer;
using Jobs.Producer.Api;
using Jobs.Shared.Json;
using Jobs.Shared.Lambda;
using Microsoft.Extensions.DependencyInjection;

return await LambdaHost.RunAsync(
    settings => settings.Problems(needsQueue: true),
    services => services.AddProducer(),
    services => services.GetRequiredService<ApiFunction>().HandleAsync,
    JobsJsonContext.Default.HttpApiRequest,
    JobsJsonContext.Default.HttpApiResponse).ConfigureAwait(false);
