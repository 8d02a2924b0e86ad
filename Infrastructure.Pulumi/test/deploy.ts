import { createJobsStack, JobsStack } from "../src/jobsStack";
import { defaultModelIds, Settings } from "../src/settings";
import { recorded, Recorded, valueOf } from "./mocks";

/** Settings as `readSettings` gives them for an empty config, under a prefix of the test's own. */
export function settingsFor(prefix: string, overrides: Partial<Settings> = {}): Settings {
    return {
        namePrefix: prefix,
        architecture: "arm64",
        producerZip: "../artifacts/lambda/arm64/producer.zip",
        consumerZip: "../artifacts/lambda/arm64/consumer.zip",
        producerMemoryMb: 256,
        producerTimeoutSeconds: 10,
        consumerMemoryMb: 256,
        consumerTimeoutSeconds: 120,
        batchSize: 10,
        consumerMaxConcurrency: 5,
        consumerBatchConcurrency: 10,
        maxReceiveCount: 5,
        maxAttempts: 4,
        reconcileEveryMinutes: 1,
        reconcileMarginSeconds: 120,
        visibilityTimeoutSeconds: 720,
        jobRetentionDays: 30,
        presignedUrlMinutes: 60,
        jobDeadlineHours: 24,
        imageRetentionDays: 30,
        uploadRetentionDays: 1,
        uploadMaxBytes: 10485760,
        logRetentionDays: 30,
        modelIds: defaultModelIds,
        inferenceProfileIds: [],
        modelQuotas: {},
        defaultModelQuota: 60,
        bulkShare: 0.1,
        throttledShareAlarm: 0.05,
        queuedAgeAlarmSeconds: 1800,
        apiAuthorization: "AWS_IAM",
        console: false,
        jwtAudiences: [],
        outputBuckets: [],
        manifestBuckets: [],
        schedules: [],
        throttlingBurstLimit: 50,
        throttlingRateLimit: 20,
        corsAllowedOrigins: [],
        emailSubscribers: [],
        webhookSubscribers: [],
        oldestMessageAlarmSeconds: 3600,
        deletionProtection: true,
        producerReservedConcurrency: 20,
        apiLatencyAlarmMs: 1000,
        ...overrides,
    };
}

/** A deployed stack under Pulumi's mocks: its outputs and the resources it asked for. */
export interface Deployed {
    stack: JobsStack;
    resources: Recorded[];
    /** The one resource of a type whose name is prefix-suffix. */
    one(type: string, suffix: string): Recorded;
    all(type: string): Recorded[];
}

export async function deploy(settings: Settings): Promise<Deployed> {
    const stack = createJobsStack(settings);
    await Promise.all(stack.resources.map(r => valueOf(r.urn)));
    const mine = recorded.filter(r => r.name.startsWith(settings.namePrefix + "-"));
    return {
        stack,
        resources: mine,
        one(type, suffix) {
            const found = mine.filter(r => r.type === type && r.name === `${settings.namePrefix}-${suffix}`);
            if (found.length !== 1) {
                throw new Error(`expected one ${type} named ${settings.namePrefix}-${suffix}, found ${found.length}`);
            }
            return found[0];
        },
        all(type) {
            return mine.filter(r => r.type === type);
        },
    };
}

/** The statements of a JSON policy document. */
export function statements(policy: string): any[] {
    const document = JSON.parse(policy);
    return Array.isArray(document.Statement) ? document.Statement : [document.Statement];
}

export function list<T>(value: T | T[]): T[] {
    return Array.isArray(value) ? value : [value];
}
