import "./mocks";
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { deploy, settingsFor, statements } from "./deploy";
import { account, region } from "./mocks";
import { checkSettings } from "../src/settings";

describe("data, queues and images", () => {
    it("makes the jobs table with its listing index, TTL, point-in-time recovery and encryption", async () => {
        const d = await deploy(settingsFor("data-table"));
        const table = d.one("aws:dynamodb/table:Table", "jobs").inputs;

        assert.equal(table.name, "data-table-jobs");
        assert.equal(table.hashKey, "jobId");
        assert.deepEqual(table.globalSecondaryIndexes, [{
            name: "listed-ownerCreated", hashKey: "listedAs", rangeKey: "ownerCreated",
            projectionType: "INCLUDE", nonKeyAttributes: ["dueAt", "completedAt", "notifiedAt"],
        }]);
        assert.deepEqual(table.attributes.map((a: any) => a.name).sort(), ["jobId", "listedAs", "ownerCreated"]);
        assert.deepEqual(table.ttl, { attributeName: "expiresAt", enabled: true });
        assert.equal(table.pointInTimeRecovery.enabled, true);
        assert.equal(table.serverSideEncryption.enabled, true);
        assert.equal(table.billingMode, "PAY_PER_REQUEST");
    });

    it("redrives the jobs queue to its dead-letter queue after the configured receives, both encrypted", async () => {
        const d = await deploy(settingsFor("data-queue", { maxReceiveCount: 7 }));
        const queue = d.one("aws:sqs/queue:Queue", "jobs").inputs;
        const dlq = d.one("aws:sqs/queue:Queue", "jobs-dlq").inputs;
        const redrive = JSON.parse(queue.redrivePolicy);

        assert.equal(redrive.deadLetterTargetArn, `arn:aws:sqs:${region}:${account}:data-queue-jobs-dlq`);
        assert.equal(redrive.maxReceiveCount, 7);
        assert.equal(queue.sqsManagedSseEnabled, true);
        assert.equal(dlq.sqsManagedSseEnabled, true);
        const allow = JSON.parse(d.one("aws:sqs/redriveAllowPolicy:RedriveAllowPolicy", "jobs-dlq-allow").inputs.redriveAllowPolicy);
        assert.deepEqual(allow.sourceQueueArns, [`arn:aws:sqs:${region}:${account}:data-queue-jobs`, `arn:aws:sqs:${region}:${account}:data-queue-jobs-bulk`]);
    });

    it("keeps the visibility timeout at least six times the consumer's timeout", async () => {
        const d = await deploy(settingsFor("data-visibility", { consumerTimeoutSeconds: 300, visibilityTimeoutSeconds: 1800 }));
        const queue = d.one("aws:sqs/queue:Queue", "jobs").inputs;
        const consumer = d.one("aws:lambda/function:Function", "consumer").inputs;

        assert.ok(queue.visibilityTimeoutSeconds >= 6 * consumer.timeout, `${queue.visibilityTimeoutSeconds} < 6 × ${consumer.timeout}`);
    });

    it("makes a bucket that cannot be made public, encrypted, TLS-only, with images expiring", async () => {
        const d = await deploy(settingsFor("data-bucket", { imageRetentionDays: 9 }));
        const block = d.one("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "images-public-access").inputs;
        const ownership = d.one("aws:s3/bucketOwnershipControls:BucketOwnershipControls", "images-ownership").inputs;
        const sse = d.one("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "images-sse").inputs;
        const lifecycle = d.one("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "images-lifecycle").inputs;
        const policy = statements(d.one("aws:s3/bucketPolicy:BucketPolicy", "images-tls-only").inputs.policy);

        assert.deepEqual(
            [block.blockPublicAcls, block.blockPublicPolicy, block.ignorePublicAcls, block.restrictPublicBuckets],
            [true, true, true, true]);
        assert.equal(ownership.rule.objectOwnership, "BucketOwnerEnforced", "ACLs are off, so no object can be shared by ACL");
        assert.equal(sse.rules[0].applyServerSideEncryptionByDefault.sseAlgorithm, "AES256");
        const expiry = lifecycle.rules.find((r: any) => r.id === "expire-images");
        assert.deepEqual([expiry.status, expiry.filter.prefix, expiry.expiration.days], ["Enabled", "images/", 9]);
        assert.equal(policy.length, 1);
        assert.equal(policy[0].Effect, "Deny");
        assert.deepEqual(policy[0].Condition, { Bool: { "aws:SecureTransport": "false" } });
        assert.deepEqual(policy[0].Resource, [
            `arn:aws:s3:::data-bucket-images-${account}-${region}`,
            `arn:aws:s3:::data-bucket-images-${account}-${region}/*`,
        ]);
        assert.ok(!policy.some((s: any) => s.Effect === "Allow"), "the bucket policy grants nothing to anyone");
    });

    it("keeps uploads in a bucket of their own: private, encrypted, TLS-only, expiring after the configured days", async () => {
        const d = await deploy(settingsFor("data-uploads", { uploadRetentionDays: 2, corsAllowedOrigins: ["https://console.example.com"] }));
        const block = d.one("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "uploads-public-access").inputs;
        const lifecycle = d.one("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "uploads-lifecycle").inputs;
        const policy = statements(d.one("aws:s3/bucketPolicy:BucketPolicy", "uploads-tls-only").inputs.policy);
        const cors = d.one("aws:s3/bucketCorsConfiguration:BucketCorsConfiguration", "uploads-cors").inputs;

        assert.equal(d.one("aws:s3/bucket:Bucket", "uploads").inputs.bucket, `data-uploads-uploads-${account}-${region}`);
        assert.deepEqual([block.blockPublicAcls, block.blockPublicPolicy, block.ignorePublicAcls, block.restrictPublicBuckets], [true, true, true, true]);
        assert.deepEqual(lifecycle.rules.map((r: any) => [r.id, r.filter.prefix, r.expiration.days]), [["expire-uploads", "uploads/", 2]]);
        assert.deepEqual([policy.length, policy[0].Effect, policy[0].Condition], [1, "Deny", { Bool: { "aws:SecureTransport": "false" } }]);
        assert.deepEqual(cors.corsRules[0].allowedMethods, ["POST"], "a browser posts the upload form");
        assert.match(checkSettings(settingsFor("data-uploads-bad", { uploadRetentionDays: 0, uploadMaxBytes: 30_000_000 })).join(" "), /uploadRetentionDays.*uploadMaxBytes/s);
    });

    it("names the bucket with the account and Region, so one config deploys anywhere without a global name clash", async () => {
        const d = await deploy(settingsFor("data-name"));

        assert.equal(d.one("aws:s3/bucket:Bucket", "images").inputs.bucket, `data-name-images-${account}-${region}`);
    });

    it("keeps maxReceiveCount at 5 or more, as AWS recommends for a queue Lambda reads", () => {
        assert.match(checkSettings(settingsFor("data-receives", { maxReceiveCount: 3 })).join(" "), /jobs:maxReceiveCount must be 5-1000/);
        assert.deepEqual(checkSettings(settingsFor("data-receives", { maxReceiveCount: 5 })), []);
    });

    it("adds CORS to the bucket and the API only when origins are configured", async () => {
        const plain = await deploy(settingsFor("data-nocors"));
        const cors = await deploy(settingsFor("data-cors", { corsAllowedOrigins: ["https://app.example.com"] }));

        assert.equal(plain.all("aws:s3/bucketCorsConfiguration:BucketCorsConfiguration").length, 0);
        assert.equal(plain.one("aws:apigatewayv2/api:Api", "api").inputs.corsConfiguration, undefined);
        const rule = cors.one("aws:s3/bucketCorsConfiguration:BucketCorsConfiguration", "images-cors").inputs.corsRules[0];
        assert.deepEqual(rule.allowedOrigins, ["https://app.example.com"]);
        assert.deepEqual(rule.allowedMethods, ["GET", "HEAD"]);
        assert.deepEqual(cors.one("aws:apigatewayv2/api:Api", "api").inputs.corsConfiguration.allowOrigins, ["https://app.example.com"]);
    });
});
