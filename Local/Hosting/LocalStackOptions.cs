using Jobs.Consumer;
using Jobs.Consumer.Pacing;
using Jobs.Local.FakeBedrock;
using Jobs.Consumer.Bedrock;
using Microsoft.Extensions.Logging;

namespace Jobs.Local.Hosting;

/// <summary>Settings of the whole local stack; the defaults suit an interactive run.</summary>
public sealed class LocalStackOptions
{
    public string Region { get; set; } = "us-east-1";
    public string TableName { get; set; } = "jobs";
    public string QueueName { get; set; } = "jobs";
    public string DeadLetterQueueName { get; set; } = "jobs-dlq";
    public string TopicName { get; set; } = "job-events";
    /// <summary>A queue subscribed to the topic, so notices can be read locally.</summary>
    public string InboxQueueName { get; set; } = "job-events-inbox";
    public string BucketName { get; set; } = "jobs-images";

    /// <summary>The bucket input images are uploaded to (<c>POST /uploads</c>).</summary>
    public string UploadsBucketName { get; set; } = "jobs-uploads";

    /// <summary>Buckets a batch item's <c>output</c> may name, made at start (on AWS: the deployment's <c>jobs:outputBuckets</c>).</summary>
    public IReadOnlyList<string> OutputBuckets { get; set; } = ["jobs-outputs"];

    /// <summary>Buckets a batch manifest may be read from besides the service's own, made at start (<c>jobs:manifestBuckets</c>).</summary>
    public IReadOnlyList<string> ManifestBuckets { get; set; } = ["jobs-manifests"];

    /// <summary>
    /// The jobs queue's visibility timeout. AWS requires at least the consumer's timeout and
    /// recommends six times it; a crashed invocation's messages reappear after this. Default 6 × 60 s.
    /// </summary>
    public TimeSpan VisibilityTimeout { get; set; } = TimeSpan.FromSeconds(360);

    /// <summary>
    /// Run the consumer in this process, fed by local event source mappings. Off when the caller
    /// runs it elsewhere (the soak runs the packaged bootstrap) and calls <see cref="LocalStack.StartConsumer"/> itself. Default on.
    /// </summary>
    public bool StartConsumer { get; set; } = true;

    /// <summary>How often the reconciler runs, as its EventBridge schedule does on AWS. Default 1 min.</summary>
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Deliveries before a message moves to the DLQ. Default 5.</summary>
    public int MaxReceiveCount { get; set; } = 5;

    /// <summary>Port of the HTTP API on 127.0.0.1; 0 picks a free one.</summary>
    public int ApiPort { get; set; }

    public QueuePollerOptions Poller { get; } = new();

    public FakeBedrockOptions Bedrock { get; } = new();

    /// <summary>The consumer's settings; the stack fills in the dead-letter queue and receive count.</summary>
    public ConsumerOptions Consumer { get; } = new();

    /// <summary>Changes to how the services call Bedrock (retry delays, circuit breaker), applied before they start.</summary>
    public Action<BedrockOptions>? ConfigureBedrockClient { get; set; }

    /// <summary>Changes to how the consumer paces its Bedrock calls (quotas per model, burst), applied before it starts.</summary>
    public Action<PaceOptions>? ConfigurePace { get; set; }

    /// <summary>Where the consumer's Embedded Metric Format lines go. Default nowhere: CloudWatch is not here to read them (the benchmark counts their bytes).</summary>
    public TextWriter MetricsOutput { get; set; } = TextWriter.Null;

    /// <summary>Lowest level of the services' JSON logs on stdout. Default Warning, to keep the console readable.</summary>
    public LogLevel LogLevel { get; set; } = LogLevel.Warning;

    /// <summary>
    /// Record every AWS call the functions make (<see cref="LocalStack.AwsCalls"/>), for the IAM
    /// coverage test and the benchmark's call counts. Default off: a long run would keep them all.
    /// </summary>
    public bool RecordAwsCalls { get; set; }

    /// <summary>With <see cref="RecordAwsCalls"/>, also record the capacity units each DynamoDB call consumed. Default off.</summary>
    public bool MeasureDynamoDbCapacity { get; set; }

    /// <summary>How long an emulator may take to start. Default 90 s (a cold JVM on a busy machine is slow).</summary>
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(90);
}
