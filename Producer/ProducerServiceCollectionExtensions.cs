using Jobs.Shared.Requests;
using Jobs.Producer.Api;
using Jobs.Producer.Jobs;
using Jobs.Producer.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Jobs.Producer;

/// <summary>Registers the HTTP API's handlers; the AWS adapters come from <c>AddJobsCore</c>.</summary>
public static class ProducerServiceCollectionExtensions
{
    public static IServiceCollection AddProducer(this IServiceCollection services)
    {
        services.TryAddSingleton<ProducerOptions>();
        services.TryAddSingleton<JobRequestValidator>();
        services.TryAddSingleton<Batches.BatchViews>();
        services.TryAddSingleton<Batches.SubmitBatch>();
        services.TryAddSingleton<Batches.GetBatch>();
        services.TryAddSingleton<Batches.CancelBatch>();
        services.TryAddSingleton<Batches.ListBatches>();
        services.TryAddSingleton<Batches.ListBatchJobs>();
        services.TryAddSingleton<JobViews>();
        services.TryAddSingleton<SubmitJob>();
        services.TryAddSingleton<JobWaiter>();
        services.TryAddSingleton<GetJob>();
        services.TryAddSingleton<ListJobs>();
        services.TryAddSingleton<CancelJob>();
        services.TryAddSingleton<ListModels>();
        services.TryAddSingleton<Uploads.CreateUpload>();
        services.TryAddSingleton<Uploads.InputResolver>();
        services.TryAddSingleton<ApiFunction>();
        return services;
    }
}
