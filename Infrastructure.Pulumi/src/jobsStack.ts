import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { lambdaTrustPolicy, policyDocument, Statement } from "./policy";
import { Settings, Subscriber } from "./settings";

/** What the stack exports, plus every resource it made (tests wait on them). */
export interface JobsStack {
    apiUrl: pulumi.Output<string>;
    tableName: pulumi.Output<string>;
    queueName: pulumi.Output<string>;
    queueUrl: pulumi.Output<string>;
    deadLetterQueueName: pulumi.Output<string>;
    bucketName: pulumi.Output<string>;
    topicName: pulumi.Output<string>;
    topicArn: pulumi.Output<string>;
    alarmTopicArn: pulumi.Output<string>;
    dashboardName: pulumi.Output<string>;
    resources: pulumi.Resource[];
}

/** The route keys of the HTTP API, all served by the Producer. */
export const routeKeys = ["POST /jobs", "GET /jobs", "GET /jobs/{id}", "POST /jobs/{id}/cancel", "GET /models"];

/**
 * Creates every AWS resource of the service: table, queues, bucket, topics, both functions with
 * one least-privilege role each, the SQS event source mappings, the HTTP API, alarms and a
 * dashboard. Names come from `settings.namePrefix`.
 */
export function createJobsStack(s: Settings): JobsStack {
    const resources: pulumi.Resource[] = [];
    const add = <T extends pulumi.Resource>(r: T): T => {
        resources.push(r);
        return r;
    };
    const n = (suffix: string) => `${s.namePrefix}-${suffix}`;
    const region = aws.getRegionOutput().region;
    const account = aws.getCallerIdentityOutput().accountId;

    // ---- Data: jobs table with the status index, TTL, PITR and encryption.
    const table = add(new aws.dynamodb.Table(n("jobs"), {
        name: n("jobs"),
        billingMode: "PAY_PER_REQUEST",
        hashKey: "jobId",
        attributes: [
            { name: "jobId", type: "S" },
            { name: "status", type: "S" },
            { name: "createdAt", type: "S" },
        ],
        globalSecondaryIndexes: [{ name: "status-createdAt", hashKey: "status", rangeKey: "createdAt", projectionType: "ALL" }],
        ttl: { attributeName: "expiresAt", enabled: true },
        pointInTimeRecovery: { enabled: true },
        serverSideEncryption: { enabled: true },
        deletionProtectionEnabled: s.deletionProtection,
    }));

    // ---- Queues: jobs and its dead-letter queue, both encrypted.
    const deadLetterQueue = add(new aws.sqs.Queue(n("jobs-dlq"), {
        name: n("jobs-dlq"),
        messageRetentionSeconds: 14 * 24 * 3600,
        visibilityTimeoutSeconds: s.visibilityTimeoutSeconds,
        sqsManagedSseEnabled: true,
    }));
    const queue = add(new aws.sqs.Queue(n("jobs"), {
        name: n("jobs"),
        visibilityTimeoutSeconds: s.visibilityTimeoutSeconds,
        messageRetentionSeconds: 4 * 24 * 3600,
        sqsManagedSseEnabled: true,
        redrivePolicy: pulumi.jsonStringify({ deadLetterTargetArn: deadLetterQueue.arn, maxReceiveCount: s.maxReceiveCount }),
    }));
    add(new aws.sqs.RedriveAllowPolicy(n("jobs-dlq-allow"), {
        queueUrl: deadLetterQueue.url,
        redriveAllowPolicy: pulumi.jsonStringify({ redrivePermission: "byQueue", sourceQueueArns: [queue.arn] }),
    }));

    // ---- Images: private bucket, SSE, TLS only, images expire.
    const bucket = add(new aws.s3.Bucket(n("images"), { bucket: n("images"), forceDestroy: !s.deletionProtection }));
    const publicAccess = add(new aws.s3.BucketPublicAccessBlock(n("images-public-access"), {
        bucket: bucket.id,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
    }));
    add(new aws.s3.BucketOwnershipControls(n("images-ownership"), {
        bucket: bucket.id,
        rule: { objectOwnership: "BucketOwnerEnforced" },
    }));
    add(new aws.s3.BucketServerSideEncryptionConfiguration(n("images-sse"), {
        bucket: bucket.id,
        rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, bucketKeyEnabled: true }],
    }));
    add(new aws.s3.BucketLifecycleConfiguration(n("images-lifecycle"), {
        bucket: bucket.id,
        rules: [
            { id: "expire-images", status: "Enabled", filter: { prefix: "images/" }, expiration: { days: s.imageRetentionDays } },
            { id: "abort-uploads", status: "Enabled", filter: { prefix: "" }, abortIncompleteMultipartUpload: { daysAfterInitiation: 1 } },
        ],
    }));
    add(new aws.s3.BucketPolicy(n("images-tls-only"), {
        bucket: bucket.id,
        policy: policyDocument([{
            Sid: "DenyInsecureTransport",
            Effect: "Deny",
            Principal: "*",
            Action: ["s3:*"],
            Resource: [bucket.arn, pulumi.interpolate`${bucket.arn}/*`],
            Condition: { Bool: { "aws:SecureTransport": "false" } },
        }]),
    }, { dependsOn: [publicAccess] }));
    if (s.corsAllowedOrigins.length > 0) {
        // Browsers fetching presigned image URLs from another origin need CORS on the bucket too.
        add(new aws.s3.BucketCorsConfiguration(n("images-cors"), {
            bucket: bucket.id,
            corsRules: [{ allowedMethods: ["GET", "HEAD"], allowedOrigins: s.corsAllowedOrigins, allowedHeaders: ["*"], maxAgeSeconds: 3600 }],
        }));
    }

    // ---- Topics: job events for subscribers, alarms for operators; one customer key for both,
    // because CloudWatch can publish to an encrypted topic only with a key policy that lets it.
    const topicKey = add(new aws.kms.Key(n("topics"), {
        description: `Encrypts the ${s.namePrefix} SNS topics`,
        enableKeyRotation: true,
        policy: policyDocument([
            { Sid: "AccountAdministers", Effect: "Allow", Principal: { AWS: pulumi.interpolate`arn:aws:iam::${account}:root` }, Action: ["kms:*"], Resource: ["*"] },
            {
                Sid: "CloudWatchPublishesAlarms",
                Effect: "Allow",
                Principal: { Service: "cloudwatch.amazonaws.com" },
                Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
                Resource: ["*"],
            },
        ]),
    }));
    add(new aws.kms.Alias(n("topics-alias"), { name: `alias/${n("topics")}`, targetKeyId: topicKey.keyId }));
    const topic = add(new aws.sns.Topic(n("job-events"), { name: n("job-events"), kmsMasterKeyId: topicKey.arn }));
    const subscribe = (kind: string, protocol: string, subscribers: Subscriber[]) => subscribers.forEach((subscriber, i) =>
        add(new aws.sns.TopicSubscription(n(`${kind}-${i}`), {
            topic: topic.arn,
            protocol,
            endpoint: subscriber.endpoint,
            filterPolicy: subscriber.filterPolicy ? JSON.stringify(subscriber.filterPolicy) : undefined,
            filterPolicyScope: subscriber.filterPolicy ? "MessageAttributes" : undefined,
        })));
    subscribe("email", "email", s.emailSubscribers);
    subscribe("webhook", "https", s.webhookSubscribers);
    const alarmTopic = add(new aws.sns.Topic(n("alarms"), { name: n("alarms"), kmsMasterKeyId: topicKey.arn }));
    if (s.alarmEmail) {
        add(new aws.sns.TopicSubscription(n("alarm-email"), { topic: alarmTopic.arn, protocol: "email", endpoint: s.alarmEmail }));
    }

    // ---- Functions: log groups, one role each with only what the function calls.
    const producerName = n("producer");
    const consumerName = n("consumer");
    const producerLogs = add(new aws.cloudwatch.LogGroup(producerName, { name: `/aws/lambda/${producerName}`, retentionInDays: s.logRetentionDays }));
    const consumerLogs = add(new aws.cloudwatch.LogGroup(consumerName, { name: `/aws/lambda/${consumerName}`, retentionInDays: s.logRetentionDays }));
    const logStatement = (group: aws.cloudwatch.LogGroup): Statement => ({
        Sid: "WriteOwnLogs",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: [pulumi.interpolate`${group.arn}:*`],
    });
    const images = pulumi.interpolate`${bucket.arn}/images/*`;

    const producerRole = add(new aws.iam.Role(producerName, { name: producerName, assumeRolePolicy: lambdaTrustPolicy }));
    add(new aws.iam.RolePolicy(producerName, {
        role: producerRole.id,
        policy: policyDocument([
            logStatement(producerLogs),
            {
                Sid: "Jobs",
                Effect: "Allow",
                Action: ["dynamodb:PutItem", "dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"],
                Resource: [table.arn],
            },
            { Sid: "JobsByStatus", Effect: "Allow", Action: ["dynamodb:Query"], Resource: [pulumi.interpolate`${table.arn}/index/status-createdAt`] },
            { Sid: "Enqueue", Effect: "Allow", Action: ["sqs:SendMessage"], Resource: [queue.arn] },
            // Presigned image URLs carry the producer's permission to read the object.
            { Sid: "PresignImages", Effect: "Allow", Action: ["s3:GetObject"], Resource: [images] },
        ]),
    }));

    const modelResources: pulumi.Input<string>[] = [
        ...s.modelIds.map(id => pulumi.interpolate`arn:aws:bedrock:${region}::foundation-model/${id}`),
        ...s.inferenceProfileIds.map(id => pulumi.interpolate`arn:aws:bedrock:${region}:${account}:inference-profile/${id}`),
        // A cross-region profile routes to the same model in the profile's regions.
        ...s.inferenceProfileIds.map(id => `arn:aws:bedrock:*::foundation-model/${id.replace(/^[a-z]+\./, "")}`),
    ];
    const consumerStatements: Statement[] = [
        logStatement(consumerLogs),
        { Sid: "Jobs", Effect: "Allow", Action: ["dynamodb:GetItem", "dynamodb:UpdateItem"], Resource: [table.arn] },
        {
            Sid: "ReceiveJobs",
            Effect: "Allow",
            Action: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ChangeMessageVisibility"],
            Resource: [queue.arn, deadLetterQueue.arn],
        },
        // Throttled jobs go back on the queue with a delay.
        { Sid: "DeferJobs", Effect: "Allow", Action: ["sqs:SendMessage"], Resource: [queue.arn] },
        { Sid: "Images", Effect: "Allow", Action: ["s3:PutObject", "s3:GetObject", "s3:DeleteObject"], Resource: [images] },
        { Sid: "Notices", Effect: "Allow", Action: ["sns:Publish"], Resource: [topic.arn] },
        { Sid: "EncryptNotices", Effect: "Allow", Action: ["kms:GenerateDataKey", "kms:Decrypt"], Resource: [topicKey.arn] },
        { Sid: "GenerateImages", Effect: "Allow", Action: ["bedrock:InvokeModel"], Resource: modelResources },
    ];
    if (s.guardrailId) {
        consumerStatements.push({
            Sid: "Guardrail",
            Effect: "Allow",
            Action: ["bedrock:ApplyGuardrail"],
            Resource: [pulumi.interpolate`arn:aws:bedrock:${region}:${account}:guardrail/${s.guardrailId}`],
        });
    }
    const consumerRole = add(new aws.iam.Role(consumerName, { name: consumerName, assumeRolePolicy: lambdaTrustPolicy }));
    const consumerPolicy = add(new aws.iam.RolePolicy(consumerName, { role: consumerRole.id, policy: policyDocument(consumerStatements) }));

    const producer = add(new aws.lambda.Function(producerName, {
        name: producerName,
        role: producerRole.arn,
        runtime: "provided.al2023",
        handler: "bootstrap",
        architectures: ["x86_64"],
        code: new pulumi.asset.FileArchive(s.producerZip),
        memorySize: s.producerMemoryMb,
        timeout: s.producerTimeoutSeconds,
        loggingConfig: { logFormat: "JSON", logGroup: producerLogs.name, applicationLogLevel: "INFO", systemLogLevel: "WARN" },
        environment: {
            variables: {
                JOBS_TABLE_NAME: table.name,
                JOBS_QUEUE_URL: queue.url,
                JOBS_BUCKET: bucket.bucket,
                JOBS_JOB_RETENTION_DAYS: String(s.jobRetentionDays),
            },
        },
    }));
    const consumerVariables: Record<string, pulumi.Input<string>> = {
        JOBS_TABLE_NAME: table.name,
        JOBS_QUEUE_URL: queue.url,
        JOBS_BUCKET: bucket.bucket,
        JOBS_TOPIC_ARN: topic.arn,
        JOBS_DEAD_LETTER_QUEUE_ARN: deadLetterQueue.arn,
        JOBS_MAX_RECEIVES: String(s.maxReceiveCount),
        JOBS_JOB_DEADLINE_HOURS: String(s.jobDeadlineHours),
        JOBS_CONSUMER_CONCURRENCY: String(s.consumerBatchConcurrency),
    };
    if (s.guardrailId && s.guardrailVersion) {
        consumerVariables.JOBS_GUARDRAIL_ID = s.guardrailId;
        consumerVariables.JOBS_GUARDRAIL_VERSION = s.guardrailVersion;
    }
    const consumer = add(new aws.lambda.Function(consumerName, {
        name: consumerName,
        role: consumerRole.arn,
        runtime: "provided.al2023",
        handler: "bootstrap",
        architectures: ["x86_64"],
        code: new pulumi.asset.FileArchive(s.consumerZip),
        memorySize: s.consumerMemoryMb,
        timeout: s.consumerTimeoutSeconds,
        loggingConfig: { logFormat: "JSON", logGroup: consumerLogs.name, applicationLogLevel: "INFO", systemLogLevel: "WARN" },
        environment: { variables: consumerVariables },
    }, { dependsOn: [consumerPolicy] }));

    add(new aws.lambda.EventSourceMapping(n("jobs-to-consumer"), {
        eventSourceArn: queue.arn,
        functionName: consumer.arn,
        batchSize: s.batchSize,
        functionResponseTypes: ["ReportBatchItemFailures"],
        scalingConfig: { maximumConcurrency: s.consumerMaxConcurrency },
    }, { dependsOn: [consumerPolicy] }));
    // The consumer also settles dead letters: their jobs end failed, with a notice.
    add(new aws.lambda.EventSourceMapping(n("dlq-to-consumer"), {
        eventSourceArn: deadLetterQueue.arn,
        functionName: consumer.arn,
        batchSize: 10,
        functionResponseTypes: ["ReportBatchItemFailures"],
        scalingConfig: { maximumConcurrency: 2 },
    }, { dependsOn: [consumerPolicy] }));

    // ---- HTTP API: IAM-authorized routes to the producer, throttled, with access logs.
    const api = add(new aws.apigatewayv2.Api(n("api"), {
        name: n("api"),
        protocolType: "HTTP",
        corsConfiguration: s.corsAllowedOrigins.length > 0
            ? { allowOrigins: s.corsAllowedOrigins, allowMethods: ["GET", "POST"], allowHeaders: ["content-type", "authorization", "x-amz-date", "x-amz-security-token", "x-amz-content-sha256"], maxAge: 3600 }
            : undefined,
    }));
    const integration = add(new aws.apigatewayv2.Integration(n("api-producer"), {
        apiId: api.id,
        integrationType: "AWS_PROXY",
        integrationUri: producer.arn,
        payloadFormatVersion: "2.0",
        timeoutMilliseconds: 29000,
    }));
    routeKeys.forEach(routeKey => add(new aws.apigatewayv2.Route(n(`route-${routeKey.replace(/[^A-Za-z]+/g, "-").toLowerCase()}`), {
        apiId: api.id,
        routeKey,
        target: pulumi.interpolate`integrations/${integration.id}`,
        authorizationType: s.apiAuthorization,
    })));
    const accessLogs = add(new aws.cloudwatch.LogGroup(n("api-access"), { name: `/aws/apigateway/${n("api")}`, retentionInDays: s.logRetentionDays }));
    add(new aws.apigatewayv2.Stage(n("api-default"), {
        apiId: api.id,
        name: "$default",
        autoDeploy: true,
        defaultRouteSettings: { throttlingBurstLimit: s.throttlingBurstLimit, throttlingRateLimit: s.throttlingRateLimit },
        accessLogSettings: {
            destinationArn: accessLogs.arn,
            format: JSON.stringify({
                requestId: "$context.requestId",
                ip: "$context.identity.sourceIp",
                caller: "$context.identity.caller",
                routeKey: "$context.routeKey",
                status: "$context.status",
                latency: "$context.integrationLatency",
            }),
        },
    }));
    add(new aws.lambda.Permission(n("api-invokes-producer"), {
        action: "lambda:InvokeFunction",
        function: producer.name,
        principal: "apigateway.amazonaws.com",
        sourceArn: pulumi.interpolate`${api.executionArn}/*/*`,
    }));

    // ---- Alarms to the alarm topic, and a dashboard.
    const alarm = (name: string, args: Omit<aws.cloudwatch.MetricAlarmArgs, "alarmActions" | "okActions" | "name">) =>
        add(new aws.cloudwatch.MetricAlarm(n(name), { name: n(name), alarmActions: [alarmTopic.arn], okActions: [alarmTopic.arn], ...args }));
    alarm("dlq-not-empty", {
        alarmDescription: "Messages reached the dead-letter queue: their jobs were failed as dead_lettered; find out why.",
        namespace: "AWS/SQS",
        metricName: "ApproximateNumberOfMessagesVisible",
        dimensions: { QueueName: deadLetterQueue.name },
        statistic: "Maximum",
        period: 60,
        evaluationPeriods: 1,
        threshold: 0,
        comparisonOperator: "GreaterThanThreshold",
        treatMissingData: "notBreaching",
    });
    alarm("oldest-message-age", {
        alarmDescription: "Jobs are waiting too long: Bedrock capacity, or the consumer is not running.",
        namespace: "AWS/SQS",
        metricName: "ApproximateAgeOfOldestMessage",
        dimensions: { QueueName: queue.name },
        statistic: "Maximum",
        period: 300,
        evaluationPeriods: 1,
        threshold: s.oldestMessageAlarmSeconds,
        comparisonOperator: "GreaterThanThreshold",
        treatMissingData: "notBreaching",
    });
    alarm("consumer-errors", {
        alarmDescription: "Consumer invocations failed (crashes or timeouts); their messages will be delivered again.",
        namespace: "AWS/Lambda",
        metricName: "Errors",
        dimensions: { FunctionName: consumer.name },
        statistic: "Sum",
        period: 300,
        evaluationPeriods: 1,
        threshold: 0,
        comparisonOperator: "GreaterThanThreshold",
        treatMissingData: "notBreaching",
    });
    alarm("bedrock-throttles", {
        alarmDescription: "Bedrock is throttling many jobs: they wait and retry, but consider a quota increase.",
        namespace: "Jobs",
        metricName: "BedrockThrottled",
        dimensions: { Service: "consumer" },
        statistic: "Sum",
        period: 300,
        evaluationPeriods: 3,
        threshold: 50,
        comparisonOperator: "GreaterThanThreshold",
        treatMissingData: "notBreaching",
    });
    alarm("job-failures", {
        alarmDescription: "Jobs are failing (see error.code in the consumer's logs).",
        namespace: "Jobs",
        metricName: "JobFailed",
        dimensions: { Service: "consumer" },
        statistic: "Sum",
        period: 300,
        evaluationPeriods: 1,
        threshold: 5,
        comparisonOperator: "GreaterThanThreshold",
        treatMissingData: "notBreaching",
    });
    const dashboard = add(new aws.cloudwatch.Dashboard(n("dashboard"), {
        dashboardName: n("dashboard"),
        dashboardBody: pulumi.jsonStringify({
            widgets: [
                metricWidget("Jobs", region, [["Jobs", "JobSucceeded", "Service", "consumer"], ["Jobs", "JobFailed", "Service", "consumer"], ["Jobs", "BedrockThrottled", "Service", "consumer"], ["Jobs", "JobDeferred", "Service", "consumer"]], 0),
                metricWidget("Queue", region, [["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", queue.name], ["AWS/SQS", "ApproximateAgeOfOldestMessage", "QueueName", queue.name], ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", deadLetterQueue.name]], 12),
                metricWidget("Functions", region, [["AWS/Lambda", "Errors", "FunctionName", consumer.name], ["AWS/Lambda", "Duration", "FunctionName", consumer.name], ["AWS/Lambda", "Errors", "FunctionName", producer.name], ["AWS/Lambda", "Throttles", "FunctionName", consumer.name]], 24),
            ],
        }),
    }));

    return {
        apiUrl: api.apiEndpoint,
        tableName: table.name,
        queueName: queue.name,
        queueUrl: queue.url,
        deadLetterQueueName: deadLetterQueue.name,
        bucketName: bucket.bucket,
        topicName: topic.name,
        topicArn: topic.arn,
        alarmTopicArn: alarmTopic.arn,
        dashboardName: dashboard.dashboardName,
        resources,
    };
}

function metricWidget(title: string, region: pulumi.Input<string>, metrics: pulumi.Input<string>[][], y: number) {
    return { type: "metric", x: 0, y, width: 24, height: 6, properties: { title, region, stat: "Sum", period: 300, metrics } };
}
