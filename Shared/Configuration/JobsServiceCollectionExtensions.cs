using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.SQS;
using Jobs.Shared.Aws;
using Jobs.Shared.Images;
using Jobs.Shared.Models;
using Jobs.Shared.Queue;
using Jobs.Shared.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Jobs.Shared.Logging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Jobs.Shared.Configuration;

/// <summary>
/// Registers what both functions use: the job store, the queue, the image store and their SDK
/// clients. Uses <c>TryAdd</c> throughout so a host or test can register its own implementation
/// first; SDK clients take endpoints from the standard <c>AWS_ENDPOINT_URL_*</c> variables.
/// </summary>
public static class JobsServiceCollectionExtensions
{
    public static IServiceCollection AddJobsCore(this IServiceCollection services, JobsSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(ModelCatalog.Default);
        services.TryAddSingleton(settings);
        services.TryAddSingleton(settings.Store);
        services.TryAddSingleton(settings.Queue);
        services.TryAddSingleton(settings.Images);

        services.TryAddSingleton(new AwsHttpOptions());
        services.TryAddSingleton<IAmazonDynamoDB>(sp => new AmazonDynamoDBClient(WithHttp(sp, new AmazonDynamoDBConfig())));
        services.TryAddSingleton<IAmazonSQS>(sp => new AmazonSQSClient(WithHttp(sp, new AmazonSQSConfig())));
        services.TryAddSingleton<IAmazonS3>(sp => new AmazonS3Client(WithHttp(sp, new AmazonS3Config { ForcePathStyle = settings.Images.ForcePathStyle })));

        services.TryAddSingleton<IJobStore, DynamoDbJobStore>();
        services.TryAddSingleton<IJobQueue, SqsJobQueue>();
        services.TryAddSingleton<IImageStore, S3ImageStore>();
        services.TryAddSingleton<IResultCache, DynamoDbResultCache>();
        services.TryAddSingleton(settings.Uploads);
        services.TryAddSingleton<Uploads.IUploadStore, Uploads.S3UploadStore>();
        services.TryAddSingleton(settings.Batches);
        services.TryAddSingleton<IBatchStore, DynamoDbBatchStore>();
        services.TryAddSingleton<Batches.BatchFiles>();
        services.TryAddSingleton<Requests.JobRequestValidator>();
        services.TryAddSingleton<Batches.BatchItemReader>();
        return services;
    }

    /// <summary>
    /// Structured JSON logs on stdout, one object per line in the shape Lambda's JSON log format
    /// reads, with scope values such as the request id and the job id as fields (<see cref="LambdaJsonFormatter"/>).
    /// </summary>
    public static IServiceCollection AddJobsLogging(this IServiceCollection services, LogLevel minimum = LogLevel.Information)
    {
        // Registered as a plain service: AddConsoleFormatter would bind its options from
        // configuration by reflection, which Native AOT cannot do.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ConsoleFormatter, LambdaJsonFormatter>());
        return services.AddLogging(logging => logging
            .ClearProviders()
            .SetMinimumLevel(minimum)
            .AddConsole(o => o.FormatterName = LambdaJsonFormatter.FormatterName));
    }

    private static TConfig WithHttp<TConfig>(IServiceProvider services, TConfig config)
        where TConfig : ClientConfig
    {
        var http = services.GetRequiredService<AwsHttpOptions>();
        if (http.WrapHandler is not null)
        {
            config.HttpClientFactory = new WrappedHttpClientFactory(http);
        }

        return config;
    }
}
