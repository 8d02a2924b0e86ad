import * as pulumi from "@pulumi/pulumi";

/** An SNS subscription from stack config, with an optional filter policy on the notice's message attributes. */
export interface Subscriber {
    endpoint: string;
    filterPolicy?: Record<string, unknown>;
}

/** Everything the stack is built from. Defaults suit a small production deployment. */
export interface Settings {
    /** Prefix of every resource name, e.g. "jobs-prod". */
    namePrefix: string;
    /** Lambda's processor: "arm64" (Graviton, 20 % cheaper per GB-second; the default) or "x86_64". */
    architecture: "arm64" | "x86_64";
    producerZip: string;
    consumerZip: string;
    producerMemoryMb: number;
    producerTimeoutSeconds: number;
    consumerMemoryMb: number;
    consumerTimeoutSeconds: number;
    /** Messages per consumer invocation (1-10). */
    batchSize: number;
    /** Most concurrent consumer invocations the queue's event source mapping starts (2-1000). */
    consumerMaxConcurrency: number;
    /** Messages of one batch handled at once inside an invocation. */
    consumerBatchConcurrency: number;
    /** Receives before a message moves to the dead-letter queue. */
    maxReceiveCount: number;
    /** Attempts a job gets before it fails retries_exhausted (waits for capacity do not count). */
    maxAttempts: number;
    /** How often the reconciler runs, in minutes. */
    reconcileEveryMinutes: number;
    /** How far past due a job must be before the reconciler repairs it, in seconds. */
    reconcileMarginSeconds: number;
    /** The jobs queue's visibility timeout; at least six times the consumer's timeout. */
    visibilityTimeoutSeconds: number;
    jobRetentionDays: number;
    presignedUrlMinutes: number;
    jobDeadlineHours: number;
    imageRetentionDays: number;
    /** Days an uploaded input image is kept (the uploads bucket's expiry rule); a job keeps its hash. */
    uploadRetentionDays: number;
    /** Largest input image upload in bytes, enforced by the upload form's policy. */
    uploadMaxBytes: number;
    logRetentionDays: number;
    /** Bedrock foundation-model ids the consumer may invoke. */
    modelIds: string[];
    /** Cross-region inference profile ids (e.g. "us.stability.sd3-5-large-v1:0") the consumer may invoke. */
    inferenceProfileIds: string[];
    /** Requests per minute each model id or inference profile may take (the account's Bedrock quota); the pace starts there and learns. */
    modelQuotas: Record<string, number>;
    /** The starting pace, in requests per minute, of a model without a configured quota. */
    defaultModelQuota: number;
    /** The share of each model's rate kept for batch jobs while they wait (JOBS_BULK_SHARE). */
    bulkShare: number;
    /** Alarm when a model's throttled share of Bedrock calls stays above this fraction. */
    throttledShareAlarm: number;
    /** Alarm when a job claimed in the last five minutes had waited longer than this many seconds since submission. */
    queuedAgeAlarmSeconds: number;
    guardrailId?: string;
    guardrailVersion?: string;
    /** "AWS_IAM" (default) signs every API call with SigV4; "JWT" takes bearer tokens from `jwtIssuer`; "NONE" leaves the API open. */
    apiAuthorization: "AWS_IAM" | "JWT" | "NONE";
    /** The web console on CloudFront, with Cognito sign-in and an API of its own that takes Cognito tokens. */
    console: boolean;
    /** The OpenID Connect issuer whose tokens the JWT authorizer accepts (e.g. a Cognito user pool's https://cognito-idp.<region>.amazonaws.com/<pool id>). */
    jwtIssuer?: string;
    /** The audiences (client ids) a token must carry, at least one. */
    jwtAudiences: string[];
    /** Buckets a batch item may have its image written to (the consumer may put objects there). */
    outputBuckets: string[];
    /** Buckets a batch manifest may be read from, besides the service's own (the consumer may get objects there). */
    manifestBuckets: string[];
    /** Batches run on a schedule: EventBridge Scheduler starts one batch of the manifest per run. */
    schedules: BatchSchedule[];
    throttlingBurstLimit: number;
    throttlingRateLimit: number;
    /** Browser origins allowed to call the API; no CORS at all when empty. */
    corsAllowedOrigins: string[];
    emailSubscribers: Subscriber[];
    webhookSubscribers: Subscriber[];
    alarmEmail?: string;
    /** Alarm when the oldest message has waited this long (throttled jobs wait up to 15 minutes per deferral). */
    oldestMessageAlarmSeconds: number;
    deletionProtection: boolean;
    /** Concurrent producer instances at most (API Gateway's throttle is the first cap; this one protects the account's pool). -1 reserves none. */
    producerReservedConcurrency: number;
    /** Alarm when the API's p95 latency stays above this many milliseconds. */
    apiLatencyAlarmMs: number;
}

/** One scheduled batch: `cron` is an EventBridge Scheduler expression (`cron(…)` or `rate(…)`), in `timezone` (default UTC). */
export interface BatchSchedule {
    name: string;
    cron: string;
    manifest: { bucket: string; key: string };
    /** Who the batch's jobs belong to (an IAM principal ARN or a JWT's issuer#subject); default `schedule:<name>`. */
    owner?: string;
    timezone?: string;
}

/** The Stability models, Active on Bedrock; add Titan / Nova Canvas ids only where the account still has them. */
export const defaultModelIds = [
    "stability.stable-image-core-v1:1",
    "stability.sd3-5-large-v1:0",
    "stability.stable-image-ultra-v1:1",
];

/**
 * Stability's Image Services (edit, control, upscale), Active and invoked only through the `us.`
 * cross-Region inference profile, which routes to us-east-1, us-east-2 and us-west-2.
 */
export const defaultInferenceProfileIds = [
    "stable-image-inpaint-v1:0", "stable-outpaint-v1:0", "stable-image-search-recolor-v1:0", "stable-image-search-replace-v1:0",
    "stable-image-erase-object-v1:0", "stable-image-remove-background-v1:0", "stable-image-control-sketch-v1:0",
    "stable-image-control-structure-v1:0", "stable-image-style-guide-v1:0", "stable-style-transfer-v1:0",
    "stable-fast-upscale-v1:0", "stable-conservative-upscale-v1:0", "stable-creative-upscale-v1:0",
].map(id => `us.stability.${id}`);

/** Reads the `jobs:*` keys of the stack's config, with defaults, and checks the rules between them. */
export function readSettings(config: pulumi.Config, stack: string): Settings {
    const consumerTimeoutSeconds = config.getNumber("consumerTimeoutSeconds") ?? 120;
    const architecture = (config.get("architecture") ?? "arm64") as Settings["architecture"];
    const settings: Settings = {
        namePrefix: config.get("namePrefix") ?? `jobs-${stack}`,
        architecture,
        // `dotnet publish -c Release` makes artifacts/lambda/x86_64/*.zip; add `-r linux-arm64` for arm64.
        producerZip: config.get("producerZip") ?? `../artifacts/lambda/${architecture}/producer.zip`,
        consumerZip: config.get("consumerZip") ?? `../artifacts/lambda/${architecture}/consumer.zip`,
        // Sized from BENCHMARKS.md: both Native AOT functions peak well under 100 MB; the consumer
        // spends its time waiting on Bedrock, so memory bought for CPU would be paid for idling.
        producerMemoryMb: config.getNumber("producerMemoryMb") ?? 256,
        producerTimeoutSeconds: config.getNumber("producerTimeoutSeconds") ?? 35,
        consumerMemoryMb: config.getNumber("consumerMemoryMb") ?? 256,
        consumerTimeoutSeconds,
        batchSize: config.getNumber("batchSize") ?? 10,
        consumerMaxConcurrency: config.getNumber("consumerMaxConcurrency") ?? 5,
        consumerBatchConcurrency: config.getNumber("consumerBatchConcurrency") ?? 10,
        maxReceiveCount: config.getNumber("maxReceiveCount") ?? 5,
        maxAttempts: config.getNumber("maxAttempts") ?? 4,
        reconcileEveryMinutes: config.getNumber("reconcileEveryMinutes") ?? 1,
        reconcileMarginSeconds: config.getNumber("reconcileMarginSeconds") ?? 120,
        visibilityTimeoutSeconds: config.getNumber("visibilityTimeoutSeconds") ?? consumerTimeoutSeconds * 6,
        jobRetentionDays: config.getNumber("jobRetentionDays") ?? 30,
        presignedUrlMinutes: config.getNumber("presignedUrlMinutes") ?? 60,
        jobDeadlineHours: config.getNumber("jobDeadlineHours") ?? 24,
        imageRetentionDays: config.getNumber("imageRetentionDays") ?? 30,
        uploadRetentionDays: config.getNumber("uploadRetentionDays") ?? 1,
        uploadMaxBytes: config.getNumber("uploadMaxBytes") ?? 10 * 1024 * 1024,
        logRetentionDays: config.getNumber("logRetentionDays") ?? 30,
        modelIds: config.getObject<string[]>("modelIds") ?? defaultModelIds,
        inferenceProfileIds: config.getObject<string[]>("inferenceProfileIds") ?? defaultInferenceProfileIds,
        modelQuotas: config.getObject<Record<string, number>>("modelQuotas") ?? {},
        defaultModelQuota: config.getNumber("defaultModelQuota") ?? 60,
        bulkShare: config.getNumber("bulkShare") ?? 0.1,
        throttledShareAlarm: config.getNumber("throttledShareAlarm") ?? 0.05,
        queuedAgeAlarmSeconds: config.getNumber("queuedAgeAlarmSeconds") ?? 1800,
        guardrailId: config.get("guardrailId"),
        guardrailVersion: config.get("guardrailVersion"),
        apiAuthorization: (config.get("apiAuthorization") ?? "AWS_IAM") as Settings["apiAuthorization"],
        console: config.getBoolean("console") ?? false,
        jwtIssuer: config.get("jwtIssuer"),
        jwtAudiences: config.getObject<string[]>("jwtAudiences") ?? [],
        outputBuckets: config.getObject<string[]>("outputBuckets") ?? [],
        manifestBuckets: config.getObject<string[]>("manifestBuckets") ?? [],
        schedules: config.getObject<BatchSchedule[]>("schedules") ?? [],
        throttlingBurstLimit: config.getNumber("throttlingBurstLimit") ?? 50,
        throttlingRateLimit: config.getNumber("throttlingRateLimit") ?? 20,
        corsAllowedOrigins: config.getObject<string[]>("corsAllowedOrigins") ?? [],
        emailSubscribers: config.getObject<Subscriber[]>("emailSubscribers") ?? [],
        webhookSubscribers: config.getObject<Subscriber[]>("webhookSubscribers") ?? [],
        alarmEmail: config.get("alarmEmail"),
        oldestMessageAlarmSeconds: config.getNumber("oldestMessageAlarmSeconds") ?? 3600,
        deletionProtection: config.getBoolean("deletionProtection") ?? true,
        producerReservedConcurrency: config.getNumber("producerReservedConcurrency") ?? 20,
        apiLatencyAlarmMs: config.getNumber("apiLatencyAlarmMs") ?? 1000,
    };
    const problems = checkSettings(settings);
    if (problems.length > 0) {
        throw new Error("Invalid jobs config: " + problems.join(" "));
    }
    return settings;
}

/**
 * The longest name prefix every resource name fits with: the bucket is
 * `${prefix}-images-${account}-${region}` (S3's 63 characters, with a 12-digit account and the
 * longest Region names of 14), and Lambda functions, IAM roles and queues take far less.
 */
export const maxNamePrefixLength = 24;

/** Cross-Region inference profile ids start with their geography. */
export const inferenceProfileGeographies = ["us", "us-gov", "eu", "apac", "jp", "au", "ca", "global"];

/** Every broken rule, each naming its config key; empty when all is well. */
export function checkSettings(s: Settings): string[] {
    const problems: string[] = [];
    // S3 bucket names are the strictest of the names built from it: lower case, digits and hyphens,
    // starting with a letter here (Lambda and IAM take the same characters).
    if (!/^[a-z][a-z0-9-]*[a-z0-9]$/.test(s.namePrefix) || s.namePrefix.includes("--") || s.namePrefix.length > maxNamePrefixLength) {
        problems.push(`jobs:namePrefix "${s.namePrefix}" must be 2-${maxNamePrefixLength} lower-case letters, digits and single hyphens, starting with a letter and not ending with a hyphen (it starts every name, the S3 bucket's included).`);
    }
    for (const id of s.inferenceProfileIds) {
        if (!inferenceProfileGeographies.some(g => id.startsWith(g + "."))) {
            problems.push(`jobs:inferenceProfileIds entry ${id} must start with a geography prefix (${inferenceProfileGeographies.map(g => g + ".").join(", ")}).`);
        }
    }
    if (s.architecture !== "arm64" && s.architecture !== "x86_64") {
        problems.push(`jobs:architecture must be arm64 or x86_64 (it is ${s.architecture}).`);
    }
    for (const [model, quota] of Object.entries(s.modelQuotas)) {
        if (!s.modelIds.includes(model) && !s.inferenceProfileIds.includes(model)) {
            problems.push(`jobs:modelQuotas names ${model}, which is in neither jobs:modelIds nor jobs:inferenceProfileIds.`);
        }
        if (typeof quota !== "number" || !(quota > 0)) {
            problems.push(`jobs:modelQuotas value for ${model} must be a positive number of requests per minute.`);
        }
    }
    if (!(Number.isInteger(s.presignedUrlMinutes) && s.presignedUrlMinutes >= 1 && s.presignedUrlMinutes <= 10080)) {
        problems.push("jobs:presignedUrlMinutes must be a whole number of minutes from 1 to 10080 (a SigV4 presigned URL lives at most seven days).");
    }
    if (!(s.bulkShare >= 0 && s.bulkShare <= 0.9)) {
        problems.push("jobs:bulkShare must be a fraction from 0 to 0.9 (the share of each model's rate kept for batch jobs).");
    }
    if (!(s.defaultModelQuota > 0)) {
        problems.push("jobs:defaultModelQuota must be a positive number of requests per minute.");
    }
    if (!Number.isInteger(s.uploadRetentionDays) || s.uploadRetentionDays < 1) {
        problems.push("jobs:uploadRetentionDays must be a whole number of days, at least 1 (S3 expiry rules count whole days).");
    }
    if (!Number.isInteger(s.uploadMaxBytes) || s.uploadMaxBytes < 1 || s.uploadMaxBytes > 18_000_000) {
        problems.push("jobs:uploadMaxBytes must be a whole number of bytes from 1 to 18000000 (inputs travel base64 in a 25 MB InvokeModel body).");
    }
    if (!(s.throttledShareAlarm > 0 && s.throttledShareAlarm < 1)) {
        problems.push("jobs:throttledShareAlarm must be a fraction between 0 and 1.");
    }
    if (s.producerReservedConcurrency !== -1 && (s.producerReservedConcurrency < 1 || s.producerReservedConcurrency > 1000)) {
        problems.push("jobs:producerReservedConcurrency must be 1-1000, or -1 to reserve none (an account with the initial concurrency limit of 10 cannot reserve any).");
    }
    if (s.consumerTimeoutSeconds < 30 || s.consumerTimeoutSeconds > 900) {
        problems.push("jobs:consumerTimeoutSeconds must be 30-900 (image models take tens of seconds; Lambda allows 900).");
    }
    if (s.visibilityTimeoutSeconds < 6 * s.consumerTimeoutSeconds) {
        problems.push(`jobs:visibilityTimeoutSeconds must be at least six times jobs:consumerTimeoutSeconds (${6 * s.consumerTimeoutSeconds}).`);
    }
    if (s.visibilityTimeoutSeconds > 43200) {
        problems.push("jobs:visibilityTimeoutSeconds must be at most 43200 (SQS's limit).");
    }
    if (s.batchSize < 1 || s.batchSize > 10) {
        problems.push("jobs:batchSize must be 1-10.");
    }
    if (s.consumerBatchConcurrency < 1 || s.consumerBatchConcurrency > 10) {
        problems.push("jobs:consumerBatchConcurrency must be 1-10.");
    }
    if (s.consumerMaxConcurrency < 2 || s.consumerMaxConcurrency > 1000) {
        problems.push("jobs:consumerMaxConcurrency must be 2-1000 (the event source mapping's limits).");
    }
    // AWS recommends at least 5 for a Lambda event source, so a throttled or briefly failing
    // function does not push healthy messages to the dead-letter queue.
    if (s.maxReceiveCount < 5 || s.maxReceiveCount > 1000) {
        problems.push("jobs:maxReceiveCount must be 5-1000 (AWS recommends at least 5 for a queue Lambda reads).");
    }
    if (s.maxAttempts < 1 || s.maxAttempts > 100) {
        problems.push("jobs:maxAttempts must be 1-100.");
    }
    if (s.reconcileEveryMinutes < 1 || !Number.isInteger(s.reconcileEveryMinutes)) {
        problems.push("jobs:reconcileEveryMinutes must be a whole number of minutes, 1 or more (EventBridge Scheduler's finest rate).");
    }
    // A message waiting its turn behind others must not be sent twice.
    if (s.reconcileMarginSeconds < 10) {
        problems.push("jobs:reconcileMarginSeconds must be at least 10.");
    }
    if ((s.guardrailId === undefined) !== (s.guardrailVersion === undefined)) {
        problems.push("jobs:guardrailId and jobs:guardrailVersion go together.");
    }
    if (s.apiAuthorization !== "AWS_IAM" && s.apiAuthorization !== "JWT" && s.apiAuthorization !== "NONE") {
        problems.push("jobs:apiAuthorization must be AWS_IAM, JWT or NONE.");
    }
    if (s.apiAuthorization === "JWT" && (!s.jwtIssuer?.startsWith("https://") || s.jwtAudiences.length === 0)) {
        problems.push("jobs:apiAuthorization JWT needs jobs:jwtIssuer (an https:// OpenID Connect issuer) and jobs:jwtAudiences (at least one client id).");
    }
    if (s.apiAuthorization !== "JWT" && (s.jwtIssuer !== undefined || s.jwtAudiences.length > 0)) {
        problems.push("jobs:jwtIssuer and jobs:jwtAudiences apply only with jobs:apiAuthorization JWT.");
    }
    if (s.modelIds.length === 0 && s.inferenceProfileIds.length === 0) {
        problems.push("jobs:modelIds (or jobs:inferenceProfileIds) must name at least one model.");
    }
    const names = new Set<string>();
    for (const schedule of s.schedules) {
        if (!/^[a-z0-9][a-z0-9-]{0,39}$/.test(schedule.name ?? "") || names.has(schedule.name)) {
            problems.push(`jobs:schedules name "${schedule.name}" must be 1-40 lower-case letters, digits and hyphens, and unique.`);
        }
        names.add(schedule.name);
        if (!/^(cron|rate)\(.+\)$/.test(schedule.cron ?? "")) {
            problems.push(`jobs:schedules ${schedule.name}: cron must be an EventBridge Scheduler expression, cron(...) or rate(...).`);
        }
        if (!schedule.manifest?.key || !s.manifestBuckets.includes(schedule.manifest?.bucket)) {
            problems.push(`jobs:schedules ${schedule.name}: manifest needs a key and a bucket listed in jobs:manifestBuckets.`);
        }
    }
    for (const hook of s.webhookSubscribers) {
        if (!hook.endpoint.startsWith("https://")) {
            problems.push(`jobs:webhookSubscribers endpoint ${hook.endpoint} must be https://.`);
        }
    }
    return problems;
}
