import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { StackContext } from "./context";
import { policyDocument } from "./policy";
import { denyInsecureTransport, privateBucket } from "./privateBucket";

/** Where a job lives: its item, its queue and dead-letter queue, its images. */
export interface Data {
    table: aws.dynamodb.Table;
    queue: aws.sqs.Queue;
    /** Where batch jobs wait. */
    bulkQueue: aws.sqs.Queue;
    deadLetterQueue: aws.sqs.Queue;
    bucket: aws.s3.Bucket;
    /** Input images uploaded for edits; read by the consumer, written only through presigned forms. */
    uploads: aws.s3.Bucket;
}

/** The key prefix of generated images; the consumer's S3 grants are limited to it. */
export const imagePrefix = "images/";
/** Where input images are uploaded in the uploads bucket (each owner under its own hash). */
export const uploadPrefix = "uploads/";

/** The index that lists one owner's jobs by status: what the producer's listing and the consumer's reconciler query. */
export const listingIndex = {
    name: "listed-ownerCreated",
    hashKey: "listedAs",
    rangeKey: "ownerCreated",
    projectionType: "INCLUDE",
    nonKeyAttributes: ["dueAt", "completedAt", "notifiedAt"],
};

export function createData(ctx: StackContext): Data {
    const { settings: s, name: n, add } = ctx;

    // ---- The jobs table with the listing index, TTL, PITR and encryption. Queued and running jobs
    // are listed together as "active" and the index carries only what the reconciler filters on,
    // so a claim writes nothing to it (Shared/Storage/JobTable.cs has the same shape).
    const table = add(new aws.dynamodb.Table(n("jobs"), {
        name: n("jobs"),
        billingMode: "PAY_PER_REQUEST",
        hashKey: "jobId",
        attributes: [
            { name: "jobId", type: "S" },
            { name: "listedAs", type: "S" },
            { name: "ownerCreated", type: "S" },
        ],
        globalSecondaryIndexes: [listingIndex],
        ttl: { attributeName: "expiresAt", enabled: true },
        pointInTimeRecovery: { enabled: true },
        serverSideEncryption: { enabled: true },
        deletionProtectionEnabled: s.deletionProtection,
    }));

    // ---- The jobs queue and its dead-letter queue, both encrypted.
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
    // Batch jobs wait on a queue of their own, so a single job never waits behind a batch in a queue.
    const bulkQueue = add(new aws.sqs.Queue(n("jobs-bulk"), {
        name: n("jobs-bulk"),
        visibilityTimeoutSeconds: s.visibilityTimeoutSeconds,
        messageRetentionSeconds: 4 * 24 * 3600,
        sqsManagedSseEnabled: true,
        redrivePolicy: pulumi.jsonStringify({ deadLetterTargetArn: deadLetterQueue.arn, maxReceiveCount: s.maxReceiveCount }),
    }));
    add(new aws.sqs.RedriveAllowPolicy(n("jobs-dlq-allow"), {
        queueUrl: deadLetterQueue.url,
        redriveAllowPolicy: pulumi.jsonStringify({ redrivePermission: "byQueue", sourceQueueArns: [queue.arn, bulkQueue.arn] }),
    }));

    // ---- Images: private, encrypted, TLS only, expiring. Bucket names are global, so the account
    // and Region are part of it: the same stack config deploys in any account and Region.
    const { bucket, publicAccess } = privateBucket(ctx, "images", !s.deletionProtection);
    add(new aws.s3.BucketLifecycleConfiguration(n("images-lifecycle"), {
        bucket: bucket.id,
        rules: [
            { id: "expire-images", status: "Enabled", filter: { prefix: imagePrefix }, expiration: { days: s.imageRetentionDays } },
            { id: "abort-uploads", status: "Enabled", filter: { prefix: "" }, abortIncompleteMultipartUpload: { daysAfterInitiation: 1 } },
        ],
    }));
    add(new aws.s3.BucketPolicy(n("images-tls-only"), {
        bucket: bucket.id,
        policy: policyDocument([denyInsecureTransport(bucket)]),
    }, { dependsOn: [publicAccess] }));
    if (s.corsAllowedOrigins.length > 0) {
        // Browsers fetching presigned image URLs from another origin need CORS on the bucket too.
        add(new aws.s3.BucketCorsConfiguration(n("images-cors"), {
            bucket: bucket.id,
            corsRules: [{ allowedMethods: ["GET", "HEAD"], allowedOrigins: s.corsAllowedOrigins, allowedHeaders: ["*"], maxAgeSeconds: 3600 }],
        }));
    }

    // ---- Uploads: input images for edits, the same hardening, kept only briefly. A bucket of its
    // own so its expiry rule and the consumer's read-only grant cover exactly the uploads.
    const { bucket: uploads, publicAccess: uploadsPublicAccess } = privateBucket(ctx, "uploads", true);
    add(new aws.s3.BucketLifecycleConfiguration(n("uploads-lifecycle"), {
        bucket: uploads.id,
        rules: [{ id: "expire-uploads", status: "Enabled", filter: { prefix: uploadPrefix }, expiration: { days: s.uploadRetentionDays } }],
    }));
    add(new aws.s3.BucketPolicy(n("uploads-tls-only"), {
        bucket: uploads.id,
        policy: policyDocument([denyInsecureTransport(uploads)]),
    }, { dependsOn: [uploadsPublicAccess] }));
    if (s.corsAllowedOrigins.length > 0) {
        // A browser posts the upload form to the bucket from the console's origin.
        add(new aws.s3.BucketCorsConfiguration(n("uploads-cors"), {
            bucket: uploads.id,
            corsRules: [{ allowedMethods: ["POST"], allowedOrigins: s.corsAllowedOrigins, allowedHeaders: ["*"], maxAgeSeconds: 3600 }],
        }));
    }

    return { table, queue, bulkQueue, deadLetterQueue, bucket, uploads };
}
