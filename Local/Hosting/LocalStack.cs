using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.S3;
using Amazon.SQS;
using Amazon.SQS.Model;
using Jobs.Consumer;
using Jobs.Consumer.Reconciliation;
using Jobs.Shared.Lambda;
using Jobs.Local.AwsCalls;
using Jobs.Local.Emulators;
using Jobs.Local.FakeBedrock;
using Jobs.Consumer.Metrics;
using Jobs.Local.Toolchain;
using Jobs.Producer;
using Jobs.Producer.Api;
using Jobs.Shared.Aws;
using Jobs.Shared.Configuration;
using Jobs.Shared.Images;
using Jobs.Shared.Models;
using Jobs.Shared.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Jobs.Local.Hosting;

/// <summary>
/// The whole service on one machine: DynamoDB Local, fauxqs (SQS, SNS, S3), the fake Bedrock,
/// the Producer behind a local HTTP API and the Consumer behind a local event source mapping. The
/// services use the same adapters as in AWS, pointed here by the standard <c>AWS_ENDPOINT_URL_*</c>
/// variables. All state is in memory and ends with the process; everything listens on 127.0.0.1.
/// </summary>
public sealed class LocalStack : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _owned = [];

    private LocalStack(LocalStackOptions options)
    {
        Options = options;
        AwsCalls = options.RecordAwsCalls ? new AwsCallRecorder { MeasureCapacity = options.MeasureDynamoDbCapacity } : null;
    }

    public LocalStackOptions Options { get; }

    /// <summary>The AWS adapters as an operator would use them, for tools and tests; calls made through them are not recorded.</summary>
    public ServiceProvider Services { get; private set; } = null!;

    /// <summary>The Producer function's services (its own AWS clients).</summary>
    public ServiceProvider ProducerServices { get; private set; } = null!;

    /// <summary>The Consumer function's services (its own AWS clients), also used by the event source mappings.</summary>
    public ServiceProvider ConsumerServices { get; private set; } = null!;

    /// <summary>Every AWS call the functions made, when <see cref="LocalStackOptions.RecordAwsCalls"/> is on.</summary>
    public AwsCallRecorder? AwsCalls { get; }

    /// <summary>The local ARNs of the resources the functions use, in the form the recorder reports them.</summary>
    public LocalResources Resources => new(
        $"arn:aws:dynamodb:{Options.Region}:000000000000:table/{Options.TableName}",
        QueueArn,
        BulkQueueArn,
        Options.Consumer.DeadLetterQueueArn ?? string.Empty,
        $"arn:aws:s3:::{Options.BucketName}",
        TopicArn,
        $"arn:aws:s3:::{Options.UploadsBucketName}");

    public string QueueArn { get; private set; } = string.Empty;

    /// <summary>The queue batch jobs wait on.</summary>
    public string BulkQueueUrl { get; private set; } = string.Empty;

    public string BulkQueueArn { get; private set; } = string.Empty;

    /// <summary>The event source mapping of the bulk queue.</summary>
    public QueuePoller BulkPoller { get; private set; } = null!;

    public ApiGatewayServer Api { get; private set; } = null!;

    public QueuePoller Poller { get; private set; } = null!;

    /// <summary>The event source mapping of the dead-letter queue, feeding the same consumer.</summary>
    public QueuePoller DeadLetterPoller { get; private set; } = null!;

    public FakeBedrockServer Bedrock { get; private set; } = null!;

    /// <summary>The reconciler's schedule; <see cref="ReconcileTimer.RunOnceAsync"/> runs it at once.</summary>
    public ReconcileTimer Reconciler { get; private set; } = null!;

    public IAmazonSQS Sqs => Services.GetRequiredService<IAmazonSQS>();

    public string QueueUrl { get; private set; } = string.Empty;

    public string DeadLetterQueueUrl { get; private set; } = string.Empty;

    public string InboxQueueUrl { get; private set; } = string.Empty;

    public string TopicArn { get; private set; } = string.Empty;

    /// <summary>The environment the services were configured from, as a Lambda would see it.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; private set; } = new Dictionary<string, string>();

    private LocalSnsAdmin? _sns;
    private LocalWebhookDelivery? _webhooks;

    /// <summary>
    /// Subscribes an HTTP/S endpoint to the notices topic, delivered and signed as SNS would (fauxqs
    /// delivers only to queues; <see cref="LocalWebhookDelivery"/> does the rest).
    /// </summary>
    /// <returns>The delivery (its signing address is what a receiver trusts) and a task that completes once the endpoint confirms.</returns>
    public async Task<(LocalWebhookDelivery Delivery, Task Confirmed)> SubscribeWebhookAsync(Uri endpoint, CancellationToken cancellationToken)
    {
        if (_webhooks is null)
        {
            _webhooks = await LocalWebhookDelivery.StartAsync().ConfigureAwait(false);
            _owned.Add(_webhooks);
        }

        var confirmed = await _webhooks.SubscribeAsync(endpoint, TopicArn, Sqs, _sns!, cancellationToken).ConfigureAwait(false);
        return (_webhooks, confirmed);
    }

    public static async Task<LocalStack> StartAsync(LocalStackOptions options, IProgress<string> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(progress);
        var stack = new LocalStack(options);
        try
        {
            await stack.StartCoreAsync(progress, cancellationToken).ConfigureAwait(false);
            return stack;
        }
        catch
        {
            await stack.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task StartCoreAsync(IProgress<string> progress, CancellationToken cancellationToken)
    {
        var cache = LocalToolCache.Default();
        await cache.EnsureInstalledAsync(progress, cancellationToken).ConfigureAwait(false);
        var nodeFolder = Path.GetDirectoryName(cache.FauxqsModules)!;
        foreach (var script in new[] { "fauxqs-launcher.mjs", "child-guard.mjs" })
        {
            // The launcher imports fauxqs, so it must sit beside the node_modules it resolves from.
            File.Copy(Path.Combine(AppContext.BaseDirectory, "Emulators", script), Path.Combine(nodeFolder, script), overwrite: true);
        }

        progress.Report("Starting DynamoDB Local and fauxqs");
        var dynamoPort = FreePort.Next();
        var fauxqsPort = FreePort.Next();
        var dynamoTask = EmulatorProcess.StartAsync(
            "DynamoDB Local",
            cache.NodeExecutable,
            [
                Path.Combine(nodeFolder, "child-guard.mjs"), "java",
                $"-Djava.library.path={Path.Combine(cache.DynamoDbEmulator, "DynamoDBLocal_lib")}",
                "-jar", Path.Combine(cache.DynamoDbEmulator, "DynamoDBLocal.jar"),
                "-inMemory", "-sharedDb", "-disableTelemetry", "-port", dynamoPort.ToString(CultureInfo.InvariantCulture),
            ],
            cache.DynamoDbEmulator,
            dynamoPort,
            Options.StartTimeout,
            cancellationToken);
        var fauxqsTask = EmulatorProcess.StartAsync(
            "fauxqs",
            cache.NodeExecutable,
            ["--no-warnings", Path.Combine(nodeFolder, "fauxqs-launcher.mjs"), fauxqsPort.ToString(CultureInfo.InvariantCulture), Options.Region],
            nodeFolder,
            fauxqsPort,
            Options.StartTimeout,
            cancellationToken);
        try
        {
            await Task.WhenAll(dynamoTask, fauxqsTask).ConfigureAwait(false);
        }
        finally
        {
            foreach (var task in new[] { dynamoTask, fauxqsTask })
            {
                if (task.IsCompletedSuccessfully)
                {
                    _owned.Add(task.Result);
                }
            }
        }

        var dynamo = dynamoTask.Result;
        var fauxqs = fauxqsTask.Result;
        Bedrock = await FakeBedrockServer.StartAsync(FreePort.Next(), Options.Bedrock, ModelCatalog.Default).ConfigureAwait(false);
        _owned.Add(Bedrock);

        var environment = new Dictionary<string, string>
        {
            ["AWS_REGION"] = Options.Region,
            ["AWS_ACCESS_KEY_ID"] = "local",
            ["AWS_SECRET_ACCESS_KEY"] = "local",
            ["AWS_ENDPOINT_URL_DYNAMODB"] = dynamo.Endpoint.ToString(),
            ["AWS_ENDPOINT_URL_SQS"] = fauxqs.Endpoint.ToString(),
            ["AWS_ENDPOINT_URL_SNS"] = fauxqs.Endpoint.ToString(),
            ["AWS_ENDPOINT_URL_S3"] = fauxqs.Endpoint.ToString(),
            ["AWS_ENDPOINT_URL_BEDROCK_RUNTIME"] = Bedrock.Endpoint.ToString(),
            ["JOBS_TABLE_NAME"] = Options.TableName,
            ["JOBS_BUCKET"] = Options.BucketName,
            ["JOBS_S3_FORCE_PATH_STYLE"] = "true",
            ["JOBS_OUTPUT_BUCKETS"] = string.Join(',', Options.OutputBuckets),
            ["JOBS_MANIFEST_BUCKETS"] = string.Join(',', Options.ManifestBuckets),
            ["JOBS_UPLOADS_BUCKET"] = Options.UploadsBucketName,
        };
        Apply(environment);

        progress.Report("Creating the table, queues, topic and bucket");
        using (var bootstrap = new ServiceCollection().AddJobsCore(JobsSettings.FromEnvironment(Lookup)).BuildServiceProvider())
        {
            await CreateResourcesAsync(bootstrap, environment, cancellationToken).ConfigureAwait(false);
        }

        Apply(environment);
        Environment = environment;
        var settings = JobsSettings.FromEnvironment(Lookup);
        var consumerSettings = ConsumerSettings.FromEnvironment(Lookup);
        Options.ConfigureBedrockClient?.Invoke(consumerSettings.Bedrock);
        Options.ConfigurePace?.Invoke(consumerSettings.Pace);
        var problems = settings.Problems(needsQueue: true).Concat(consumerSettings.Problems()).ToList();
        if (problems.Count > 0)
        {
            throw new InvalidOperationException(string.Join(" ", problems));
        }

        // The operator's view of the emulators, for tools and tests; and one set of services per
        // function, as each Lambda has its own, so every AWS call is made by the function it belongs to.
        Services = new ServiceCollection().AddJobsLogging(Options.LogLevel).AddJobsCore(settings).BuildServiceProvider();
        ProducerServices = FunctionServices("producer", settings, services => services.AddProducer());
        ConsumerServices = FunctionServices("consumer", settings, services => services
            .AddSingleton(Options.Consumer)
            // CloudWatch is not here to read the metric lines; keep the console for people.
            .AddSingleton(new JobMetrics(Options.MetricsOutput, TimeProvider.System, "consumer"))
            .AddConsumer(consumerSettings, Lookup));
        var time = Services.GetRequiredService<TimeProvider>();

        Api = await ApiGatewayServer.StartAsync(Options.ApiPort == 0 ? FreePort.Next() : Options.ApiPort, ProducerServices.GetRequiredService<ApiFunction>(), time).ConfigureAwait(false);
        _owned.Add(Api);
        if (Options.StartConsumer)
        {
            var consumer = ConsumerServices.GetRequiredService<ConsumerFunction>();
            StartConsumer(
                consumer.HandleAsync,
                (context, token) => consumer.HandleAsync(new ConsumerEvent { Reconcile = new ReconcileRequest { ScheduledTime = time.GetUtcNow().ToString("O") } }, context, token));
        }

        progress.Report($"Ready: the API listens on {Api.BaseAddress}");
    }

    private async Task CreateResourcesAsync(IServiceProvider services, Dictionary<string, string> environment, CancellationToken cancellationToken)
    {
        var dynamo = services.GetRequiredService<IAmazonDynamoDB>();
        await dynamo.CreateTableAsync(JobTable.Definition(Options.TableName), cancellationToken).ConfigureAwait(false);
        await dynamo.UpdateTimeToLiveAsync(new UpdateTimeToLiveRequest
        {
            TableName = Options.TableName,
            TimeToLiveSpecification = new TimeToLiveSpecification { AttributeName = "expiresAt", Enabled = true },
        }, cancellationToken).ConfigureAwait(false);

        var sqs = services.GetRequiredService<IAmazonSQS>();
        DeadLetterQueueUrl = (await sqs.CreateQueueAsync(Options.DeadLetterQueueName, cancellationToken).ConfigureAwait(false)).QueueUrl;
        var dlqArn = (await sqs.GetQueueAttributesAsync(DeadLetterQueueUrl, ["QueueArn"], cancellationToken).ConfigureAwait(false)).QueueARN;
        QueueUrl = (await sqs.CreateQueueAsync(new CreateQueueRequest
        {
            QueueName = Options.QueueName,
            Attributes = new Dictionary<string, string>
            {
                ["VisibilityTimeout"] = ((int)Options.VisibilityTimeout.TotalSeconds).ToString(CultureInfo.InvariantCulture),
                ["RedrivePolicy"] = $"{{\"deadLetterTargetArn\":\"{dlqArn}\",\"maxReceiveCount\":\"{Options.MaxReceiveCount}\"}}",
            },
        }, cancellationToken).ConfigureAwait(false)).QueueUrl;
        QueueArn = (await sqs.GetQueueAttributesAsync(QueueUrl, ["QueueArn"], cancellationToken).ConfigureAwait(false)).QueueARN;
        BulkQueueUrl = (await sqs.CreateQueueAsync(new CreateQueueRequest
        {
            QueueName = Options.QueueName + "-bulk",
            Attributes = new Dictionary<string, string>
            {
                ["VisibilityTimeout"] = ((int)Options.VisibilityTimeout.TotalSeconds).ToString(CultureInfo.InvariantCulture),
                ["RedrivePolicy"] = $"{{\"deadLetterTargetArn\":\"{dlqArn}\",\"maxReceiveCount\":\"{Options.MaxReceiveCount}\"}}",
            },
        }, cancellationToken).ConfigureAwait(false)).QueueUrl;
        BulkQueueArn = (await sqs.GetQueueAttributesAsync(BulkQueueUrl, ["QueueArn"], cancellationToken).ConfigureAwait(false)).QueueARN;
        InboxQueueUrl = (await sqs.CreateQueueAsync(Options.InboxQueueName, cancellationToken).ConfigureAwait(false)).QueueUrl;
        var inboxArn = (await sqs.GetQueueAttributesAsync(InboxQueueUrl, ["QueueArn"], cancellationToken).ConfigureAwait(false)).QueueARN;

        var sns = _sns = new LocalSnsAdmin(new HttpClient(new SigV4SigningHandler(
            "sns",
            AwsEnvironment.Region(),
            AwsEnvironment.Credentials(),
            TimeProvider.System,
            new SocketsHttpHandler()))
        {
            BaseAddress = new Uri(environment["AWS_ENDPOINT_URL_SNS"]),
        });
        TopicArn = await sns.CreateTopicAsync(Options.TopicName, cancellationToken).ConfigureAwait(false);
        await sns.SubscribeQueueAsync(TopicArn, inboxArn, cancellationToken).ConfigureAwait(false);

        foreach (var bucket in Options.OutputBuckets.Concat(Options.ManifestBuckets).Prepend(Options.UploadsBucketName).Prepend(Options.BucketName))
        {
            await services.GetRequiredService<IAmazonS3>().PutBucketAsync(bucket, cancellationToken).ConfigureAwait(false);
        }

        environment["JOBS_QUEUE_URL"] = QueueUrl;
        environment["JOBS_BULK_QUEUE_URL"] = BulkQueueUrl;
        environment["JOBS_DEAD_LETTER_QUEUE_ARN"] = dlqArn;
        Options.Consumer.DeadLetterQueueArn = dlqArn;
        environment["JOBS_TOPIC_ARN"] = TopicArn;
    }

    /// <summary>
    /// Starts the consumer's event source mappings (the queue and the dead-letter queue) and the
    /// reconciler's schedule, each invoking the consumer through the given delegates. The stack does
    /// this itself with the in-process handler unless <see cref="LocalStackOptions.StartConsumer"/>
    /// is off; the soak calls it with invokers that reach the packaged bootstrap instead.
    /// </summary>
    public void StartConsumer(ConsumerInvoker invoke, Func<LambdaContext, CancellationToken, Task> reconcile)
    {
        if (Poller is not null)
        {
            throw new InvalidOperationException("The consumer is already started.");
        }

        var time = Services.GetRequiredService<TimeProvider>();
        // The event source mapping polls with the consumer's role, so its calls are the consumer's.
        var consumerSqs = ConsumerServices.GetRequiredService<IAmazonSQS>();
        Poller = new QueuePoller(consumerSqs, QueueUrl, QueueArn, invoke, Options.Poller, time);
        _owned.Add(Poller);
        Poller.Start();
        BulkPoller = new QueuePoller(consumerSqs, BulkQueueUrl, BulkQueueArn, invoke, Options.Poller, time);
        _owned.Add(BulkPoller);
        BulkPoller.Start();
        DeadLetterPoller = new QueuePoller(consumerSqs, DeadLetterQueueUrl, Options.Consumer.DeadLetterQueueArn!, invoke, Options.Poller, time);
        _owned.Add(DeadLetterPoller);
        DeadLetterPoller.Start();
        Reconciler = new ReconcileTimer(reconcile, Options.ReconcileInterval, Options.Poller.FunctionTimeout, time);
        _owned.Add(Reconciler);
        Reconciler.Start();
    }

    /// <summary>The services one function runs with: the AWS adapters, recording its calls when asked, and its own handlers.</summary>
    private ServiceProvider FunctionServices(string function, JobsSettings settings, Action<IServiceCollection> configure)
    {
        var services = new ServiceCollection()
            .AddJobsLogging(Options.LogLevel)
            .AddSingleton(new AwsHttpOptions { WrapHandler = AwsCalls?.HandlerFor(function) });
        if (AwsCalls is { } recorder)
        {
            services.AddSingleton<S3ImageStore>();
            services.AddSingleton<IImageStore>(sp => new PresignedGetRecording(sp.GetRequiredService<S3ImageStore>(), function, recorder));
            services.AddSingleton<Shared.Uploads.S3UploadStore>();
            services.AddSingleton<Shared.Uploads.IUploadStore>(sp => new PresignedPostRecording(sp.GetRequiredService<Shared.Uploads.S3UploadStore>(), function, recorder));
        }

        services.AddJobsCore(settings);
        configure(services);
        return services.BuildServiceProvider();
    }

    private void Apply(Dictionary<string, string> environment)
    {
        // The SDK clients read endpoints, region and credentials from the process environment,
        // exactly as they do inside Lambda; the stack sets them there, and puts back what was there
        // before when it stops, so a stack started and stopped inside another's life (a benchmark
        // in the test run) leaves the outer one's settings, not its own dead endpoints.
        foreach (var (name, value) in environment)
        {
            _replaced.TryAdd(name, System.Environment.GetEnvironmentVariable(name));
            System.Environment.SetEnvironmentVariable(name, value);
        }
    }

    private readonly Dictionary<string, string?> _replaced = new(StringComparer.Ordinal);

    private static string? Lookup(string name) => System.Environment.GetEnvironmentVariable(name);

    public async ValueTask DisposeAsync()
    {
        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            await _owned[i].DisposeAsync().ConfigureAwait(false);
        }

        _owned.Clear();
        foreach (var (name, value) in _replaced)
        {
            System.Environment.SetEnvironmentVariable(name, value);
        }

        _replaced.Clear();
        foreach (var services in new[] { ConsumerServices, ProducerServices, Services })
        {
            if (services is not null)
            {
                await services.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
