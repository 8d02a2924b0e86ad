import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { bedrockStatements } from "./bedrock";
import { StackContext } from "./context";
import { Data, imagePrefix, listingIndex, uploadPrefix } from "./data";
import { lambdaTrustPolicy, policyDocument, Statement } from "./policy";
import { Topics } from "./topics";

/** The two functions and what the alarms and the API need of them. */
export interface Functions {
    producer: aws.lambda.Function;
    consumer: aws.lambda.Function;
}

export function createFunctions(ctx: StackContext, data: Data, topics: Topics, api: aws.apigatewayv2.Api): Functions {
    const { settings: s, name: n, add, partition } = ctx;
    const { table, queue, bulkQueue, deadLetterQueue, bucket, uploads } = data;
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
    const images = pulumi.interpolate`${bucket.arn}/${imagePrefix}*`;
    const batchFiles = pulumi.interpolate`${bucket.arn}/batches/*`;
    const uploaded = pulumi.interpolate`${uploads.arn}/${uploadPrefix}*`;
    // Without ListBucket a missing upload reads as 403, not 404 ("not found" or "expired" to the caller).
    const findUploads: Statement = {
        Sid: "FindUploads",
        Effect: "Allow",
        Action: ["s3:ListBucket"],
        Resource: [uploads.arn],
        Condition: { StringLike: { "s3:prefix": [`${uploadPrefix}*`] } },
    };
    const objectsIn = (buckets: string[]) => buckets.map(b => pulumi.interpolate`arn:${partition}:s3:::${b}/*`);

    // Each function's role allows what its code calls and nothing else; Tests/Iam checks every call
    // the code makes in the integration tests against these documents, and that each grant is used.
    const producerStatements: Statement[] = [
        logStatement(producerLogs),
        {
            Sid: "Jobs",
            Effect: "Allow",
            Action: ["dynamodb:PutItem", "dynamodb:GetItem", "dynamodb:UpdateItem"],
            Resource: [table.arn],
        },
        // Listing queries the index for a page of ids and reads their items back in one batch.
        { Sid: "JobsByStatus", Effect: "Allow", Action: ["dynamodb:Query"], Resource: [pulumi.interpolate`${table.arn}/index/${listingIndex.name}`] },
        { Sid: "ListedJobs", Effect: "Allow", Action: ["dynamodb:BatchGetItem"], Resource: [table.arn] },
        { Sid: "Enqueue", Effect: "Allow", Action: ["sqs:SendMessage"], Resource: [queue.arn] },
        // Presigned image URLs carry the producer's permission to read the object.
        { Sid: "PresignImages", Effect: "Allow", Action: ["s3:GetObject"], Resource: [images] },
        // A batch's inline items are kept as its manifest; its results file is presigned like an image.
        { Sid: "BatchFiles", Effect: "Allow", Action: ["s3:PutObject", "s3:GetObject"], Resource: [batchFiles] },
        // An upload form carries the producer's permission to put the object; validation reads it back.
        { Sid: "Uploads", Effect: "Allow", Action: ["s3:PutObject", "s3:GetObject"], Resource: [uploaded] },
        findUploads,
    ];
    const consumerStatements: Statement[] = [
        logStatement(consumerLogs),
        { Sid: "Jobs", Effect: "Allow", Action: ["dynamodb:GetItem", "dynamodb:UpdateItem"], Resource: [table.arn] },
        // A batch's expansion writes its jobs; its results read them back a hundred at a time.
        { Sid: "BatchJobs", Effect: "Allow", Action: ["dynamodb:PutItem", "dynamodb:BatchGetItem"], Resource: [table.arn] },
        { Sid: "BatchFiles", Effect: "Allow", Action: ["s3:PutObject", "s3:GetObject"], Resource: [batchFiles] },
        // The reconciler reads the listing index for stranded jobs (never a scan).
        { Sid: "Reconcile", Effect: "Allow", Action: ["dynamodb:Query"], Resource: [pulumi.interpolate`${table.arn}/index/${listingIndex.name}`] },
        // What Lambda's event source mappings do with the consumer's role (AWS's documented minimum).
        {
            Sid: "EventSourceMapping",
            Effect: "Allow",
            Action: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"],
            Resource: [queue.arn, bulkQueue.arn, deadLetterQueue.arn],
        },
        // Retried, deferred and reconciled jobs go back on their queue as fresh messages; a batch's jobs start on the bulk queue.
        { Sid: "DeferJobs", Effect: "Allow", Action: ["sqs:SendMessage"], Resource: [queue.arn, bulkQueue.arn] },
        { Sid: "Images", Effect: "Allow", Action: ["s3:PutObject", "s3:GetObject", "s3:DeleteObject"], Resource: [images] },
        // Without ListBucket, S3 answers a look for an image not yet made with 403 instead of 404
        // (documented on HeadObject); the condition keeps the listing to the images prefix.
        {
            Sid: "FindImages",
            Effect: "Allow",
            Action: ["s3:ListBucket"],
            Resource: [bucket.arn],
            Condition: { StringLike: { "s3:prefix": [`${imagePrefix}*`] } },
        },
        // Input images are only ever read by the consumer.
        { Sid: "ReadUploads", Effect: "Allow", Action: ["s3:GetObject"], Resource: [uploaded] },
        findUploads,
        { Sid: "Notices", Effect: "Allow", Action: ["sns:Publish"], Resource: [topics.topic.arn] },
        // Publishing to a KMS-encrypted topic: SNS uses the key with the publisher's permission.
        {
            Sid: "EncryptNotices",
            Effect: "Allow",
            Action: ["kms:GenerateDataKey", "kms:Decrypt"],
            Resource: [topics.topicKey.arn],
            Condition: { StringEquals: { "kms:ViaService": pulumi.interpolate`sns.${ctx.region}.${ctx.dnsSuffix}` } },
        },
        ...bedrockStatements(ctx),
    ];
    if (s.manifestBuckets.length > 0) {
        consumerStatements.push({ Sid: "ReadManifests", Effect: "Allow", Action: ["s3:GetObject"], Resource: objectsIn(s.manifestBuckets) });
    }
    if (s.outputBuckets.length > 0) {
        consumerStatements.push({ Sid: "WriteOutputs", Effect: "Allow", Action: ["s3:PutObject"], Resource: objectsIn(s.outputBuckets) });
    }
    if (s.guardrailId) {
        consumerStatements.push({
            Sid: "Guardrail",
            Effect: "Allow",
            Action: ["bedrock:ApplyGuardrail"],
            Resource: [pulumi.interpolate`arn:${partition}:bedrock:${ctx.region}:${ctx.account}:guardrail/${s.guardrailId}`],
        });
    }

    const role = (name: string, statements: Statement[]) => {
        const created = add(new aws.iam.Role(name, { name, assumeRolePolicy: lambdaTrustPolicy }));
        const policy = add(new aws.iam.RolePolicy(name, { role: created.id, policy: policyDocument(statements) }));
        // Active tracing: Lambda sends the segments with the role, through AWS's managed policy,
        // because X-Ray's write actions take no resource.
        const tracing = add(new aws.iam.RolePolicyAttachment(`${name}-xray`, {
            role: created.name,
            policyArn: pulumi.interpolate`arn:${partition}:iam::aws:policy/AWSXRayDaemonWriteAccess`,
        }));
        return { role: created, policies: [policy, tracing] };
    };
    const producerRole = role(producerName, producerStatements);
    const consumerRole = role(consumerName, consumerStatements);

    // Signs list cursors; every producer instance shares it, and it stays in the stack's state
    // (encrypted as a secret) so cursors outlive a deployment.
    const cursorKey = add(new random.RandomBytes(n("cursor-key"), { length: 32 }));
    const producer = add(new aws.lambda.Function(producerName, {
        name: producerName,
        role: producerRole.role.arn,
        runtime: "provided.al2023",
        handler: "bootstrap",
        architectures: [s.architecture],
        code: new pulumi.asset.FileArchive(s.producerZip),
        memorySize: s.producerMemoryMb,
        timeout: s.producerTimeoutSeconds,
        reservedConcurrentExecutions: s.producerReservedConcurrency,
        tracingConfig: { mode: "Active" },
        loggingConfig: { logFormat: "JSON", logGroup: producerLogs.name, applicationLogLevel: "INFO", systemLogLevel: "WARN" },
        environment: {
            variables: {
                JOBS_TABLE_NAME: table.name,
                JOBS_QUEUE_URL: queue.url,
                JOBS_BUCKET: bucket.bucket,
                JOBS_JOB_RETENTION_DAYS: String(s.jobRetentionDays),
                JOBS_PRESIGNED_URL_MINUTES: String(s.presignedUrlMinutes),
                JOBS_CURSOR_KEY: cursorKey.base64,
                JOBS_OUTPUT_BUCKETS: s.outputBuckets.join(","),
                JOBS_MANIFEST_BUCKETS: s.manifestBuckets.join(","),
                JOBS_UPLOADS_BUCKET: uploads.bucket,
                JOBS_UPLOAD_MAX_BYTES: String(s.uploadMaxBytes),
            },
        },
    }, { dependsOn: producerRole.policies }));
    const consumerVariables: Record<string, pulumi.Input<string>> = {
        JOBS_TABLE_NAME: table.name,
        JOBS_QUEUE_URL: queue.url,
        JOBS_BULK_QUEUE_URL: bulkQueue.url,
        JOBS_BUCKET: bucket.bucket,
        JOBS_TOPIC_ARN: topics.topic.arn,
        JOBS_DEAD_LETTER_QUEUE_ARN: deadLetterQueue.arn,
        JOBS_MAX_ATTEMPTS: String(s.maxAttempts),
        JOBS_RECONCILE_MARGIN_SECONDS: String(s.reconcileMarginSeconds),
        JOBS_JOB_DEADLINE_HOURS: String(s.jobDeadlineHours),
        JOBS_CONSUMER_CONCURRENCY: String(s.consumerBatchConcurrency),
        JOBS_DEFAULT_MODEL_QUOTA: String(s.defaultModelQuota),
        JOBS_BULK_SHARE: String(s.bulkShare),
        // Email notices link to the job; the consumer never calls the API.
        JOBS_API_URL: api.apiEndpoint,
        JOBS_OUTPUT_BUCKETS: s.outputBuckets.join(","),
        JOBS_MANIFEST_BUCKETS: s.manifestBuckets.join(","),
        JOBS_UPLOADS_BUCKET: uploads.bucket,
        JOBS_UPLOAD_MAX_BYTES: String(s.uploadMaxBytes),
    };
    const quotas = Object.entries(s.modelQuotas);
    if (quotas.length > 0) {
        // The consumer reads "<model id>=<requests per minute>,…" (model ids hold ':' but never '=' or ',').
        consumerVariables.JOBS_MODEL_QUOTAS = quotas.map(([model, quota]) => `${model}=${quota}`).join(",");
    }
    if (s.guardrailId && s.guardrailVersion) {
        consumerVariables.JOBS_GUARDRAIL_ID = s.guardrailId;
        consumerVariables.JOBS_GUARDRAIL_VERSION = s.guardrailVersion;
    }
    const consumer = add(new aws.lambda.Function(consumerName, {
        name: consumerName,
        role: consumerRole.role.arn,
        runtime: "provided.al2023",
        handler: "bootstrap",
        architectures: [s.architecture],
        code: new pulumi.asset.FileArchive(s.consumerZip),
        memorySize: s.consumerMemoryMb,
        timeout: s.consumerTimeoutSeconds,
        tracingConfig: { mode: "Active" },
        loggingConfig: { logFormat: "JSON", logGroup: consumerLogs.name, applicationLogLevel: "INFO", systemLogLevel: "WARN" },
        environment: { variables: consumerVariables },
    }, { dependsOn: consumerRole.policies }));

    add(new aws.lambda.EventSourceMapping(n("jobs-to-consumer"), {
        eventSourceArn: queue.arn,
        functionName: consumer.arn,
        batchSize: s.batchSize,
        functionResponseTypes: ["ReportBatchItemFailures"],
        scalingConfig: { maximumConcurrency: s.consumerMaxConcurrency },
    }, { dependsOn: consumerRole.policies }));
    // Batch jobs: the same consumer, at most half its concurrency, so single jobs always find a free one.
    add(new aws.lambda.EventSourceMapping(n("bulk-to-consumer"), {
        eventSourceArn: bulkQueue.arn,
        functionName: consumer.arn,
        batchSize: s.batchSize,
        functionResponseTypes: ["ReportBatchItemFailures"],
        scalingConfig: { maximumConcurrency: Math.max(2, Math.floor(s.consumerMaxConcurrency / 2)) },
    }, { dependsOn: consumerRole.policies }));
    // The consumer also settles dead letters: their jobs end failed, with a notice.
    add(new aws.lambda.EventSourceMapping(n("dlq-to-consumer"), {
        eventSourceArn: deadLetterQueue.arn,
        functionName: consumer.arn,
        batchSize: 10,
        functionResponseTypes: ["ReportBatchItemFailures"],
        scalingConfig: { maximumConcurrency: 2 },
    }, { dependsOn: consumerRole.policies }));

    // The reconciler: the consumer, invoked every minute with {"reconcile": …} by EventBridge
    // Scheduler (no third function to deploy), repairs jobs the queue let down.
    const schedulerRole = add(new aws.iam.Role(n("reconcile-schedule"), {
        name: n("reconcile-schedule"),
        assumeRolePolicy: pulumi.jsonStringify({
            Version: "2012-10-17",
            Statement: [{
                Effect: "Allow",
                Principal: { Service: "scheduler.amazonaws.com" },
                Action: "sts:AssumeRole",
                Condition: { StringEquals: { "aws:SourceAccount": ctx.account } },
            }],
        }),
    }));
    add(new aws.iam.RolePolicy(n("reconcile-schedule"), {
        role: schedulerRole.id,
        policy: policyDocument([{ Sid: "InvokeConsumer", Effect: "Allow", Action: ["lambda:InvokeFunction"], Resource: [consumer.arn] }]),
    }));
    add(new aws.scheduler.Schedule(n("reconcile"), {
        name: n("reconcile"),
        description: "Re-sends overdue messages, re-drives jobs of dead workers, publishes missing notices.",
        scheduleExpression: `rate(${s.reconcileEveryMinutes} ${s.reconcileEveryMinutes === 1 ? "minute" : "minutes"})`,
        flexibleTimeWindow: { mode: "OFF" },
        target: {
            arn: consumer.arn,
            roleArn: schedulerRole.arn,
            input: JSON.stringify({ reconcile: { scheduledTime: "<aws.scheduler.scheduled-time>" } }),
            retryPolicy: { maximumRetryAttempts: 0 },
        },
    }));

    // Scheduled batches: the same role invokes the consumer with {"scheduledBatch": …}; the run's
    // scheduled time makes the batch id, so a retried invocation starts no second batch.
    for (const schedule of s.schedules) {
        add(new aws.scheduler.Schedule(n(`batch-${schedule.name}`), {
            name: n(`batch-${schedule.name}`),
            description: `Runs the batch s3://${schedule.manifest.bucket}/${schedule.manifest.key}.`,
            scheduleExpression: schedule.cron,
            scheduleExpressionTimezone: schedule.timezone ?? "UTC",
            flexibleTimeWindow: { mode: "OFF" },
            target: {
                arn: consumer.arn,
                roleArn: schedulerRole.arn,
                input: JSON.stringify({
                    scheduledBatch: {
                        name: schedule.name,
                        bucket: schedule.manifest.bucket,
                        key: schedule.manifest.key,
                        owner: schedule.owner,
                        scheduledTime: "<aws.scheduler.scheduled-time>",
                    },
                }),
                retryPolicy: { maximumRetryAttempts: 3 },
            },
        }));
    }

    return { producer, consumer };
}
