import { runSimulation } from "@cloud-copilot/iam-simulate";
import { deploy, Deployed, settingsFor, statements } from "./deploy";
import { account, region, valueOf } from "./mocks";
import { inferenceProfileGeographies } from "../src/settings";

/**
 * Checks the AWS calls the functions really made (recorded by the local stack in the integration
 * tests) against the role policies this program renders, with an IAM policy simulator: every call
 * must be allowed, including what IAM asks beyond the action's own name, and every granted action
 * must be used by some call (or by Lambda itself on the function's behalf), so the policies stay
 * least-privilege in both directions.
 */

/** One call as Local/AwsCalls/RecordedAwsCall.cs writes it. */
export interface RecordedCall {
    function: string;
    service: string;
    operation: string;
    resource: string;
    status: number;
    context: Record<string, string>;
}

/** The local ARNs of what the functions use (Local/Hosting/LocalResources.cs). */
export interface LocalResources {
    tableArn: string;
    queueArn: string;
    bulkQueueArn: string;
    deadLetterQueueArn: string;
    bucketArn: string;
    uploadsBucketArn: string;
    topicArn: string;
}

export interface CoverageInput {
    /** Foundation-model ids the deployment is configured with (the service's catalog). */
    models: string[];
    local: LocalResources;
    calls: RecordedCall[];
    /** Buckets the local stack lets batches write to and read manifests from (the deployment is configured with the same). */
    outputBuckets?: string[];
    manifestBuckets?: string[];
    /** Render the policy without this statement, to show the check fails without it. */
    removeStatement?: { function: string; sid: string };
}

/** One permission a call needs: the action on a resource, with the condition keys IAM evaluates. */
export interface Check {
    action: string;
    resource: string;
    context: Record<string, string>;
    /** Why IAM asks for it, when it is not the operation's own action. */
    rule?: string;
}

export interface Denial {
    function: string;
    operation: string;
    action: string;
    resource: string;
    context: Record<string, string>;
    rule?: string;
    result: string;
}

export interface CoverageReport {
    /** Distinct calls checked, and the checks made for them. */
    calls: number;
    checks: number;
    denied: Denial[];
    /** Calls this mapping cannot read: a new kind of call the rules below must learn first. */
    unmapped: RecordedCall[];
    /** Granted actions no call used, per function and statement. */
    unusedGrants: { function: string; sid: string; action: string }[];
    /** Actions used per function, with how many distinct calls needed each. */
    used: Record<string, Record<string, number>>;
}

/** Granted for Lambda itself, which uses them with the function's role; the code never calls them. */
export const platformActions: Record<string, string> = {
    "logs:CreateLogStream": "Lambda writes the function's logs",
    "logs:PutLogEvents": "Lambda writes the function's logs",
    "sqs:GetQueueAttributes": "Lambda's event source mapping reads the queue's attributes (AWS's documented minimum for an SQS source)",
};

/** What the deployment under Pulumi's mocks looks like, as the checks need it. */
export interface Deployment {
    policies: Record<string, any[]>;
    tableArn: string;
    queueArn: string;
    bulkQueueArn: string;
    deadLetterQueueArn: string;
    bucketArn: string;
    uploadsBucketArn: string;
    topicArn: string;
    topicKeyArn?: string;
    bucketPolicy: any;
    keyPolicy: any;
}

export async function describeDeployment(d: Deployed): Promise<Deployment> {
    const arn = (service: string, resource: string) => `arn:aws:${service}:${region}:${account}:${resource}`;
    const policy = (fn: string) => statements(d.one("aws:iam/rolePolicy:RolePolicy", fn).inputs.policy);
    const topic = d.one("aws:sns/topic:Topic", "job-events").inputs;
    return {
        policies: { producer: policy("producer"), consumer: policy("consumer") },
        tableArn: arn("dynamodb", `table/${await valueOf(d.stack.tableName)}`),
        queueArn: arn("sqs", await valueOf(d.stack.queueName)),
        bulkQueueArn: arn("sqs", `${await valueOf(d.stack.queueName)}-bulk`),
        deadLetterQueueArn: arn("sqs", await valueOf(d.stack.deadLetterQueueName)),
        bucketArn: `arn:aws:s3:::${await valueOf(d.stack.bucketName)}`,
        uploadsBucketArn: `arn:aws:s3:::${await valueOf(d.stack.uploadsBucketName)}`,
        topicArn: await valueOf(d.stack.topicArn),
        topicKeyArn: topic.kmsMasterKeyId,
        bucketPolicy: JSON.parse(d.one("aws:s3/bucketPolicy:BucketPolicy", "images-tls-only").inputs.policy),
        keyPolicy: JSON.parse(d.one("aws:kms/key:Key", "topics").inputs.policy),
    };
}

/** A Region a geography's inference profile may route to, for the check on the model behind it. */
const destinationRegion: Record<string, string> = {
    us: "us-west-2", "us-gov": "us-gov-east-1", eu: "eu-west-1", apac: "ap-northeast-1", jp: "ap-northeast-3", au: "ap-southeast-4", ca: "ca-west-1", global: region,
};

/**
 * The permissions one call needs, or undefined when the call is not one these rules know. The
 * rules beyond the action's name are AWS's: HeadObject is authorized as s3:GetObject, and a read of
 * a missing key answers 404 only with s3:ListBucket (evaluated with s3:prefix set to the key);
 * publishing to a KMS-encrypted topic uses the key through SNS; an inference profile also needs the
 * model behind it, reached through the profile.
 */
export function checksFor(call: RecordedCall, deployment: Deployment): Check[] | undefined {
    const own = (action: string, context: Record<string, string> = {}): Check => ({ action, resource: call.resource, context: { ...call.context, ...context } });
    switch (call.service) {
        case "dynamodb": {
            if (call.operation === "TransactWriteItems") {
                // Each action of a transaction is authorized as its own operation (AWS: "Using IAM with DynamoDB transactions").
                const { ["jobs:transactActions"]: actions, ...context } = call.context;
                const permission: Record<string, string> = { Put: "PutItem", Update: "UpdateItem", Delete: "DeleteItem", ConditionCheck: "ConditionCheckItem" };
                const names = (actions ?? "").split(",").filter((a) => a !== "");
                if (names.length === 0 || names.some((a) => permission[a] === undefined)) return undefined;
                return [...new Set(names)].map((a) => ({ action: `dynamodb:${permission[a]}`, resource: call.resource, context }));
            }
            const known = ["GetItem", "PutItem", "UpdateItem", "DeleteItem", "Query", "Scan", "BatchGetItem", "BatchWriteItem", "ConditionCheckItem", "DescribeTable"];
            return known.includes(call.operation) ? [own(`dynamodb:${call.operation}`)] : undefined;
        }
        case "sqs": {
            const action: Record<string, string> = {
                SendMessage: "sqs:SendMessage", SendMessageBatch: "sqs:SendMessage",
                ReceiveMessage: "sqs:ReceiveMessage",
                DeleteMessage: "sqs:DeleteMessage", DeleteMessageBatch: "sqs:DeleteMessage",
                ChangeMessageVisibility: "sqs:ChangeMessageVisibility", ChangeMessageVisibilityBatch: "sqs:ChangeMessageVisibility",
                GetQueueAttributes: "sqs:GetQueueAttributes", GetQueueUrl: "sqs:GetQueueUrl",
            };
            return action[call.operation] ? [own(action[call.operation])] : undefined;
        }
        case "s3": {
            const secure = { "aws:SecureTransport": "true" };
            const missingKeyRule = (): Check => {
                const [bucket, ...key] = call.resource.replace(/^arn:aws:s3:::/, "").split("/");
                return {
                    action: "s3:ListBucket",
                    resource: `arn:aws:s3:::${bucket}`,
                    context: { ...secure, "s3:prefix": key.join("/") },
                    rule: "S3 answers a missing key with 404 only to a caller with s3:ListBucket (else 403)",
                };
            };
            switch (call.operation) {
                case "GetObject":
                case "HeadObject": {
                    const read = { ...own("s3:GetObject", secure), ...(call.operation === "HeadObject" ? { rule: "HeadObject is authorized as s3:GetObject" } : {}) };
                    return call.status === 404 ? [read, missingKeyRule()] : [read];
                }
                case "PutObject": return [own("s3:PutObject", secure)];
                case "DeleteObject": return [own("s3:DeleteObject", secure)];
                case "ListObjectsV2": return [own("s3:ListBucket", secure)];
                default: return undefined;
            }
        }
        case "sns": {
            if (call.operation !== "Publish") {
                return undefined;
            }
            const checks = [own("sns:Publish")];
            if (call.resource === deployment.topicArn && deployment.topicKeyArn) {
                const via = { "kms:ViaService": `sns.${region}.amazonaws.com` };
                const rule = "publishing to a KMS-encrypted topic uses its key with the publisher's permission";
                checks.push({ action: "kms:GenerateDataKey", resource: deployment.topicKeyArn, context: via, rule });
                checks.push({ action: "kms:Decrypt", resource: deployment.topicKeyArn, context: via, rule });
            }
            return checks;
        }
        case "bedrock": {
            if (call.operation !== "InvokeModel") {
                return undefined;
            }
            const checks = [own("bedrock:InvokeModel")];
            const profile = /^arn:aws:bedrock:[^:]+:\d+:inference-profile\/([a-z-]+)\.(.+)$/.exec(call.resource);
            if (profile) {
                checks.push({
                    action: "bedrock:InvokeModel",
                    resource: `arn:aws:bedrock:${destinationRegion[profile[1]] ?? region}::foundation-model/${profile[2]}`,
                    context: { "bedrock:InferenceProfileArn": call.resource },
                    rule: "an inference profile also needs the model behind it, in the Region it routes to",
                });
            }
            return checks;
        }
        default:
            return undefined;
    }
}

/** Rewrites a local ARN to the ARN of the resource the program makes for the same purpose. */
export function toDeployed(call: RecordedCall, local: LocalResources, deployment: Deployment): RecordedCall {
    const swaps: [string, string][] = [
        [local.tableArn, deployment.tableArn],
        [local.bulkQueueArn, deployment.bulkQueueArn],
        [local.queueArn, deployment.queueArn],
        [local.deadLetterQueueArn, deployment.deadLetterQueueArn],
        [local.bucketArn, deployment.bucketArn],
        [local.uploadsBucketArn, deployment.uploadsBucketArn],
        [local.topicArn, deployment.topicArn],
    ];
    let resource = call.resource;
    for (const [from, to] of swaps) {
        if (from && (resource === from || resource.startsWith(from + "/"))) {
            resource = to + resource.slice(from.length);
            break;
        }
    }
    // The local stack's account in a Bedrock inference-profile ARN becomes the deployment's.
    resource = resource.replace(/^(arn:aws:bedrock:[^:]*:)000000000000:/, `$1${account}:`);
    return { ...call, resource };
}

const deployments = new Map<string, Promise<Deployment>>();

/** The program under the mocks, configured with the given models; made once per model list. */
function deploymentFor(models: string[], outputBuckets: string[] = [], manifestBuckets: string[] = []): Promise<Deployment> {
    const key = JSON.stringify([models, outputBuckets, manifestBuckets]);
    if (!deployments.has(key)) {
        // The catalog's ids as the consumer invokes them: cross-Region profiles (us.…) are configured as such.
        const profile = (id: string) => inferenceProfileGeographies.some(g => id.startsWith(g + "."));
        deployments.set(key, deploy(settingsFor(`coverage${deployments.size}`, {
            modelIds: models.filter(m => !profile(m)),
            inferenceProfileIds: models.filter(profile),
            outputBuckets,
            manifestBuckets,
        })).then(describeDeployment));
    }
    return deployments.get(key)!;
}

export async function evaluate(input: CoverageInput): Promise<CoverageReport> {
    const deployment: Deployment = structuredClone(await deploymentFor(input.models, input.outputBuckets, input.manifestBuckets));
    if (input.removeStatement) {
        const { function: fn, sid } = input.removeStatement;
        deployment.policies[fn] = deployment.policies[fn].filter(s => s.Sid !== sid);
    }

    const distinct = new Map<string, RecordedCall>();
    for (const call of input.calls) {
        const deployed = toDeployed(call, input.local, deployment);
        distinct.set(JSON.stringify([deployed.function, deployed.service, deployed.operation, deployed.resource, deployed.status, deployed.context]), deployed);
    }

    const report: CoverageReport = { calls: distinct.size, checks: 0, denied: [], unmapped: [], unusedGrants: [], used: {} };
    const grantsUsed = new Set<string>();
    for (const call of distinct.values()) {
        const policy = deployment.policies[call.function];
        const checks = policy ? checksFor(call, deployment) : undefined;
        if (!checks) {
            report.unmapped.push(call);
            continue;
        }
        for (const check of checks) {
            report.checks++;
            const outcome = await simulate(call.function, check, policy, deployment);
            if (outcome.result !== "Allowed") {
                report.denied.push({ function: call.function, operation: call.operation, ...check, result: outcome.result });
                continue;
            }
            const used = (report.used[call.function] ??= {});
            used[check.action] = (used[check.action] ?? 0) + 1;
            for (const sid of outcome.allowedBy) {
                grantsUsed.add(`${call.function}|${sid}|${check.action}`);
            }
        }
    }

    for (const [fn, policy] of Object.entries(deployment.policies)) {
        for (const statement of policy.filter(s => s.Effect === "Allow")) {
            for (const action of [statement.Action].flat()) {
                if (!platformActions[action] && !grantsUsed.has(`${fn}|${statement.Sid}|${action}`)) {
                    report.unusedGrants.push({ function: fn, sid: statement.Sid, action });
                }
            }
        }
    }
    return report;
}

async function simulate(fn: string, check: Check, policy: any[], deployment: Deployment): Promise<{ result: string; allowedBy: string[] }> {
    const resourcePolicy = check.action.startsWith("s3:") ? deployment.bucketPolicy
        : check.action.startsWith("kms:") ? deployment.keyPolicy
        : undefined;
    const response = await runSimulation({
        identityPolicies: [{ name: `${fn}-role-policy`, policy: { Version: "2012-10-17", Statement: policy } }],
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        resourcePolicy,
        request: {
            action: check.action,
            principal: `arn:aws:iam::${account}:role/coverage-${fn}`,
            resource: { accountId: account, resource: check.resource },
            contextVariables: check.context,
        },
    }, {});
    if (response.resultType === "error") {
        return { result: `simulator refused the request: ${JSON.stringify(response.errors)}`, allowedBy: [] };
    }
    if (response.resultType !== "single") {
        return { result: `unexpected simulation result ${response.resultType}`, allowedBy: [] };
    }
    const allowedBy = (response.result.analysis?.identityAnalysis?.allowStatements ?? []).map((s: any) => s.explain?.identifier).filter((s: unknown): s is string => typeof s === "string");
    return { result: response.overallResult, allowedBy };
}
