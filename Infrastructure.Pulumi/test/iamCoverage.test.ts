import "./mocks";
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CoverageInput, evaluate, RecordedCall } from "./iamCoverage";

const local = {
    tableArn: "arn:aws:dynamodb:us-east-1:000000000000:table/jobs",
    queueArn: "arn:aws:sqs:us-east-1:000000000000:jobs",
    bulkQueueArn: "arn:aws:sqs:us-east-1:000000000000:jobs-bulk",
    deadLetterQueueArn: "arn:aws:sqs:us-east-1:000000000000:jobs-dlq",
    bucketArn: "arn:aws:s3:::jobs-images",
    uploadsBucketArn: "arn:aws:s3:::jobs-uploads",
    topicArn: "arn:aws:sns:us-east-1:000000000000:job-events",
};

function call(fn: string, service: string, operation: string, resource: string, status = 200): RecordedCall {
    return { function: fn, service, operation, resource, status, context: {} };
}

const missingImage = call("consumer", "s3", "HeadObject", "arn:aws:s3:::jobs-images/images/0191a/0.png", 404);
const input = (calls: RecordedCall[], extra: Partial<CoverageInput> = {}): CoverageInput => ({ models: ["stability.stable-image-core-v1:1"], local, calls, ...extra });

describe("IAM coverage of recorded calls", () => {
    it("asks s3:ListBucket with the key as s3:prefix for a missing image, and FindImages grants it", async () => {
        const report = await evaluate(input([missingImage]));

        assert.deepEqual(report.denied, []);
        assert.equal(report.checks, 2, "s3:GetObject for HEAD, and s3:ListBucket for the 404");
        assert.equal(report.used.consumer["s3:ListBucket"], 1);
    });

    it("denies the 404 without the FindImages statement: S3 would have answered 403", async () => {
        const report = await evaluate(input([missingImage], { removeStatement: { function: "consumer", sid: "FindImages" } }));

        assert.equal(report.denied.length, 1);
        assert.equal(report.denied[0].action, "s3:ListBucket");
        assert.equal(report.denied[0].context["s3:prefix"], "images/0191a/0.png");
        assert.match(report.denied[0].rule!, /404 only/);
    });

    it("needs the topic's key through SNS to publish a notice", async () => {
        const publish = call("consumer", "sns", "Publish", local.topicArn);
        const allowed = await evaluate(input([publish]));
        const withoutKey = await evaluate(input([publish], { removeStatement: { function: "consumer", sid: "EncryptNotices" } }));

        assert.deepEqual(allowed.denied, []);
        assert.deepEqual(Object.keys(allowed.used.consumer).sort(), ["kms:Decrypt", "kms:GenerateDataKey", "sns:Publish"]);
        assert.deepEqual(withoutKey.denied.map(d => d.action).sort(), ["kms:Decrypt", "kms:GenerateDataKey"]);
    });

    it("denies a call the code makes to something the deployment does not give it", async () => {
        const report = await evaluate(input([
            call("producer", "sqs", "SendMessage", "arn:aws:sqs:us-east-1:000000000000:another-queue"),
            call("producer", "dynamodb", "Scan", local.tableArn),
            call("consumer", "bedrock", "InvokeModel", "arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-image-generator-v2:0"),
        ]));

        assert.deepEqual(report.denied.map(d => d.action), ["sqs:SendMessage", "dynamodb:Scan", "bedrock:InvokeModel"]);
    });

    it("authorizes a transaction action by action: the producer's keyed create is two PutItems", async () => {
        const keyed = { ...call("producer", "dynamodb", "TransactWriteItems", local.tableArn), context: { "jobs:transactActions": "Put,Put" } };
        const withCheck = { ...call("producer", "dynamodb", "TransactWriteItems", local.tableArn), context: { "jobs:transactActions": "Put,ConditionCheck" } };

        const report = await evaluate(input([keyed, withCheck]));

        assert.equal(report.used.producer["dynamodb:PutItem"], 2);
        assert.deepEqual(report.denied.map(d => d.action), ["dynamodb:ConditionCheckItem"], "the producer is given no ConditionCheckItem");
        assert.equal(report.denied[0].context["jobs:transactActions"], undefined, "the actions list is not an IAM key");
    });

    it("reports a call it cannot read instead of passing it", async () => {
        const report = await evaluate(input([call("consumer", "s3", "Unknown", "POST /jobs-images?uploads")]));

        assert.equal(report.unmapped.length, 1);
        assert.equal(report.checks, 0);
    });

    it("lists every granted action no call used, but not those Lambda itself uses", async () => {
        const report = await evaluate(input([call("producer", "dynamodb", "GetItem", local.tableArn)]));
        const producer = report.unusedGrants.filter(g => g.function === "producer").map(g => g.action);

        assert.ok(producer.includes("dynamodb:PutItem"));
        assert.ok(producer.includes("sqs:SendMessage"));
        assert.ok(!producer.includes("dynamodb:GetItem"));
        assert.ok(!report.unusedGrants.some(g => g.action.startsWith("logs:") || g.action === "sqs:GetQueueAttributes"));
    });
});
