import "./mocks";
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { deploy, Deployed, list, settingsFor, statements } from "./deploy";
import { account, partition, region } from "./mocks";
import { checkSettings, defaultInferenceProfileIds } from "../src/settings";

function rolePolicy(d: Deployed, fn: "producer" | "consumer"): any[] {
    return statements(d.one("aws:iam/rolePolicy:RolePolicy", fn).inputs.policy);
}

function actions(policy: any[]): string[] {
    return policy.filter(s => s.Effect === "Allow").flatMap(s => list(s.Action));
}

describe("least privilege", () => {
    it("lets the consumer only read uploads, and the producer sign upload forms for them and read them back", async () => {
        const d = await deploy(settingsFor("iam-uploads"));
        const uploads = `arn:aws:s3:::iam-uploads-uploads-${account}-${region}`;
        const on = (policy: any[], resource: string) => policy.filter(s => s.Effect === "Allow" && list(s.Resource).includes(resource)).flatMap(s => list(s.Action)).sort();

        assert.deepEqual(on(rolePolicy(d, "consumer"), `${uploads}/uploads/*`), ["s3:GetObject"]);
        assert.deepEqual(on(rolePolicy(d, "producer"), `${uploads}/uploads/*`), ["s3:GetObject", "s3:PutObject"]);
        for (const fn of ["producer", "consumer"] as const) {
            const find = rolePolicy(d, fn).find(s => s.Sid === "FindUploads");
            assert.deepEqual([find.Resource, find.Condition], [[uploads], { StringLike: { "s3:prefix": ["uploads/*"] } }], `${fn} lists only the uploads prefix`);
        }
        const env = (fn: string) => d.one("aws:lambda/function:Function", fn).inputs.environment.variables;
        assert.equal(env("producer").JOBS_UPLOADS_BUCKET, `iam-uploads-uploads-${account}-${region}`);
        assert.equal(env("consumer").JOBS_UPLOADS_BUCKET, `iam-uploads-uploads-${account}-${region}`);
        assert.equal(env("producer").JOBS_UPLOAD_MAX_BYTES, String(10 * 1024 * 1024));
    });

    it("lets the consumer invoke Stability's Image Services through the us. profile and the model in each Region it routes to", async () => {
        const d = await deploy(settingsFor("iam-tools", { inferenceProfileIds: defaultInferenceProfileIds }));
        const consumer = rolePolicy(d, "consumer");
        const profiles = consumer.find(s => s.Sid === "GenerateThroughProfiles");
        const behind = consumer.find(s => s.Sid === "ModelsBehindProfiles");

        assert.equal(defaultInferenceProfileIds.length, 13);
        assert.ok(list(profiles.Resource).includes(`arn:aws:bedrock:${region}:${account}:inference-profile/us.stability.stable-image-inpaint-v1:0`));
        assert.ok(list(behind.Resource).includes(`arn:aws:bedrock:*::foundation-model/stability.stable-fast-upscale-v1:0`));
        assert.deepEqual(Object.keys(behind.Condition.ArnLike), ["bedrock:InferenceProfileArn"], "the models only through the profile");
    });

    it("gives each function its own role, assumable only by Lambda", async () => {
        const d = await deploy(settingsFor("iam-roles"));
        const roles = d.all("aws:iam/role:Role").map(r => r.inputs);

        assert.deepEqual(roles.map(r => r.name).sort(), ["iam-roles-consumer", "iam-roles-producer", "iam-roles-reconcile-schedule"]);
        for (const role of roles.filter(r => !r.name.endsWith("-schedule"))) {
            assert.deepEqual(JSON.parse(role.assumeRolePolicy).Statement[0].Principal, { Service: "lambda.amazonaws.com" });
        }
        assert.equal(d.one("aws:lambda/function:Function", "producer").inputs.role, `arn:aws:iam::${account}:role/iam-roles-producer`);
        assert.equal(d.one("aws:lambda/function:Function", "consumer").inputs.role, `arn:aws:iam::${account}:role/iam-roles-consumer`);
    });

    it("has no wildcard action and no wildcard resource in any role policy", async () => {
        const d = await deploy(settingsFor("iam-wild", { inferenceProfileIds: ["us.stability.sd3-5-large-v1:0"], guardrailId: "gr-9", guardrailVersion: "DRAFT" }));

        for (const fn of ["producer", "consumer"] as const) {
            for (const statement of rolePolicy(d, fn)) {
                for (const action of list(statement.Action)) {
                    assert.ok(!action.includes("*"), `${fn}: action ${action} has a wildcard`);
                }
                for (const resource of list(statement.Resource)) {
                    assert.notEqual(resource, "*", `${fn}: statement ${statement.Sid} is on every resource`);
                    assert.match(resource, /^arn:aws:/, `${fn}: ${resource} is not an ARN`);
                }
            }
        }
    });

    it("lets each function call only what its code calls", async () => {
        const d = await deploy(settingsFor("iam-actions"));
        const producer = actions(rolePolicy(d, "producer"));
        const consumer = actions(rolePolicy(d, "consumer"));

        assert.deepEqual([...new Set(producer)].sort(), [
            "dynamodb:BatchGetItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:UpdateItem",
            "logs:CreateLogStream", "logs:PutLogEvents", "s3:GetObject", "s3:ListBucket", "s3:PutObject", "sqs:SendMessage",
        ]);
        assert.deepEqual([...new Set(consumer)].sort(), [
            "bedrock:InvokeModel", "dynamodb:BatchGetItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:UpdateItem", "kms:Decrypt", "kms:GenerateDataKey",
            "logs:CreateLogStream", "logs:PutLogEvents", "s3:DeleteObject", "s3:GetObject", "s3:ListBucket", "s3:PutObject",
            "sns:Publish", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ReceiveMessage", "sqs:SendMessage",
        ]);
    });

    it("lets the consumer read manifests and write outputs only in the buckets configured for batches", async () => {
        const d = await deploy(settingsFor("iam-batches", { outputBuckets: ["team-images"], manifestBuckets: ["team-lists"] }));
        const consumer = rolePolicy(d, "consumer");
        const none = rolePolicy(await deploy(settingsFor("iam-nobatch")), "consumer");
        const bySid = (policy: any[], sid: string) => policy.find(s => s.Sid === sid);

        assert.deepEqual([bySid(consumer, "WriteOutputs").Action, list(bySid(consumer, "WriteOutputs").Resource)], [["s3:PutObject"], ["arn:aws:s3:::team-images/*"]]);
        assert.deepEqual([bySid(consumer, "ReadManifests").Action, list(bySid(consumer, "ReadManifests").Resource)], [["s3:GetObject"], ["arn:aws:s3:::team-lists/*"]]);
        assert.equal(bySid(none, "WriteOutputs"), undefined);
        assert.equal(bySid(none, "ReadManifests"), undefined);
    });

    it("scopes every statement to this stack's own resources", async () => {
        const d = await deploy(settingsFor("iam-scope"));
        const producer = rolePolicy(d, "producer");
        const consumer = rolePolicy(d, "consumer");
        const bySid = (policy: any[], sid: string) => list(policy.find(s => s.Sid === sid).Resource);

        assert.deepEqual(bySid(producer, "Jobs"), [`arn:aws:dynamodb:${region}:${account}:table/iam-scope-jobs`]);
        assert.deepEqual(bySid(producer, "JobsByStatus"), [`arn:aws:dynamodb:${region}:${account}:table/iam-scope-jobs/index/listed-ownerCreated`]);
        assert.deepEqual(bySid(producer, "PresignImages"), [`arn:aws:s3:::iam-scope-images-${account}-${region}/images/*`]);
        assert.deepEqual(bySid(consumer, "Notices"), [`arn:aws:sns:${region}:${account}:iam-scope-job-events`]);
        assert.deepEqual(bySid(consumer, "DeferJobs"), [`arn:aws:sqs:${region}:${account}:iam-scope-jobs`, `arn:aws:sqs:${region}:${account}:iam-scope-jobs-bulk`]);
        assert.deepEqual(bySid(consumer, "WriteOwnLogs"), [`arn:aws:logs:${region}:${account}:log-group:/aws/lambda/iam-scope-consumer:*`]);
    });

    it("allows bedrock:InvokeModel only on the configured models and inference profiles", async () => {
        const d = await deploy(settingsFor("iam-bedrock", {
            modelIds: ["stability.stable-image-core-v1:1", "amazon.nova-canvas-v1:0"],
            inferenceProfileIds: ["us.stability.sd3-5-large-v1:0"],
        }));
        const consumer = rolePolicy(d, "consumer");
        const bySid = (sid: string) => consumer.find(s => s.Sid === sid);
        const profile = `arn:aws:bedrock:${region}:${account}:inference-profile/us.stability.sd3-5-large-v1:0`;

        assert.deepEqual(consumer.filter(s => list(s.Action).includes("bedrock:InvokeModel")).map(s => s.Sid), ["GenerateImages", "GenerateThroughProfiles", "ModelsBehindProfiles"]);
        assert.deepEqual(list(bySid("GenerateImages").Resource), [
            `arn:aws:bedrock:${region}::foundation-model/stability.stable-image-core-v1:1`,
            `arn:aws:bedrock:${region}::foundation-model/amazon.nova-canvas-v1:0`,
        ]);
        assert.deepEqual(list(bySid("GenerateThroughProfiles").Resource), [profile]);
        // The model behind the profile, in any Region of its geography, only through the profile.
        assert.deepEqual(list(bySid("ModelsBehindProfiles").Resource), ["arn:aws:bedrock:*::foundation-model/stability.sd3-5-large-v1:0"]);
        assert.deepEqual(bySid("ModelsBehindProfiles").Condition, { ArnLike: { "bedrock:InferenceProfileArn": [profile] } });
        assert.ok(!actions(rolePolicy(d, "producer")).some(a => a.startsWith("bedrock:")), "the producer never calls Bedrock");
    });

    it("reads every geography's inference-profile prefix, global profiles naming the model without a Region", async () => {
        const d = await deploy(settingsFor("iam-geo", {
            modelIds: [],
            inferenceProfileIds: ["eu.stability.sd3-5-large-v1:0", "apac.stability.stable-image-core-v1:1", "us-gov.stability.sd3-5-large-v1:0", "global.stability.stable-image-ultra-v1:1"],
        }));
        const behind = list(rolePolicy(d, "consumer").find(s => s.Sid === "ModelsBehindProfiles").Resource);

        assert.deepEqual(behind, [
            "arn:aws:bedrock:*::foundation-model/stability.sd3-5-large-v1:0",
            "arn:aws:bedrock:*::foundation-model/stability.stable-image-core-v1:1",
            "arn:aws:bedrock:*::foundation-model/stability.sd3-5-large-v1:0",
            "arn:aws:bedrock:::foundation-model/stability.stable-image-ultra-v1:1",
        ]);
        assert.match(checkSettings(settingsFor("iam-geo", { inferenceProfileIds: ["xx.stability.sd3-5-large-v1:0"] })).join(" "), /must start with a geography prefix/);
    });

    it("lets the consumer list only the images prefix, so a missing image is a 404 and nothing else is listed", async () => {
        const d = await deploy(settingsFor("iam-list"));
        const find = rolePolicy(d, "consumer").find(s => s.Sid === "FindImages");

        assert.deepEqual(list(find.Action), ["s3:ListBucket"]);
        assert.deepEqual(list(find.Resource), [`arn:aws:s3:::iam-list-images-${account}-${region}`]);
        assert.deepEqual(find.Condition, { StringLike: { "s3:prefix": ["images/*"] } });
        const producerLists = rolePolicy(d, "producer").filter(s => list(s.Action).includes("s3:ListBucket"));
        assert.deepEqual(producerLists.flatMap(s => list(s.Resource)), [`arn:aws:s3:::iam-list-uploads-${account}-${region}`], "the producer lists only uploads (to tell a missing one)");
    });

    it("lets the consumer use the topic key only through SNS", async () => {
        const d = await deploy(settingsFor("iam-kms"));
        const encrypt = rolePolicy(d, "consumer").find(s => s.Sid === "EncryptNotices");

        assert.deepEqual(list(encrypt.Action).sort(), ["kms:Decrypt", "kms:GenerateDataKey"]);
        assert.deepEqual(encrypt.Condition, { StringEquals: { "kms:ViaService": `sns.${region}.amazonaws.com` } });
    });

    it("builds every ARN in the partition it is deployed to", async () => {
        partition.name = "aws-cn";
        partition.dnsSuffix = "amazonaws.com.cn";
        try {
            const d = await deploy(settingsFor("iam-china", { inferenceProfileIds: ["apac.stability.sd3-5-large-v1:0"] }));
            const arns = [...rolePolicy(d, "consumer"), ...rolePolicy(d, "producer")].flatMap(s => list(s.Resource));
            const keyPolicy = statements(d.one("aws:kms/key:Key", "topics").inputs.policy);

            assert.ok(arns.filter(a => a.startsWith("arn:aws-cn:bedrock")).length >= 2, arns.join("\n"));
            assert.ok(!arns.some(a => /^arn:aws:(bedrock|iam)/.test(a)), arns.join("\n"));
            assert.equal(keyPolicy[0].Principal.AWS, `arn:aws-cn:iam::${account}:root`);
            assert.ok(d.all("aws:iam/rolePolicyAttachment:RolePolicyAttachment").every(a => a.inputs.policyArn.startsWith("arn:aws-cn:iam::aws:policy/")));
            assert.equal(rolePolicy(d, "consumer").find(s => s.Sid === "EncryptNotices").Condition.StringEquals["kms:ViaService"], `sns.${region}.amazonaws.com.cn`);
        } finally {
            partition.name = "aws";
            partition.dnsSuffix = "amazonaws.com";
        }
    });

    it("adds ApplyGuardrail on the configured guardrail only when one is configured", async () => {
        const without = await deploy(settingsFor("iam-noguard"));
        const withGuard = await deploy(settingsFor("iam-guard", { guardrailId: "gr-abc", guardrailVersion: "1" }));

        assert.ok(!actions(rolePolicy(without, "consumer")).includes("bedrock:ApplyGuardrail"));
        const guard = rolePolicy(withGuard, "consumer").find(s => s.Sid === "Guardrail");
        assert.deepEqual(list(guard.Resource), [`arn:aws:bedrock:${region}:${account}:guardrail/gr-abc`]);
    });
});
