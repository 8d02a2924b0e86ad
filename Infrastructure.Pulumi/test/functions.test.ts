import "./mocks";
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { publicRouteKeys, routeKeys } from "../src/jobsStack";
import { readSettings } from "../src/settings";
import { deploy, settingsFor } from "./deploy";
import { account, region, valueOf } from "./mocks";

describe("functions, event sources and the HTTP API", () => {
    it("runs both functions from their zips on provided.al2023 with memory, timeout and JSON logs from config", async () => {
        const d = await deploy(settingsFor("fn-config", { consumerMemoryMb: 2048, consumerTimeoutSeconds: 300, visibilityTimeoutSeconds: 1800, producerMemoryMb: 256 }));
        const producer = d.one("aws:lambda/function:Function", "producer").inputs;
        const consumer = d.one("aws:lambda/function:Function", "consumer").inputs;

        for (const fn of [producer, consumer]) {
            assert.equal(fn.runtime, "provided.al2023");
            assert.equal(fn.handler, "bootstrap");
            assert.deepEqual(fn.architectures, ["arm64"], "Graviton by default: 20 % cheaper per GB-second");
            assert.equal(fn.loggingConfig.logFormat, "JSON");
        }
        assert.equal(consumer.memorySize, 2048);
        assert.equal(consumer.timeout, 300);
        assert.equal(producer.memorySize, 256);
        assert.match(await producer.code.path, /artifacts\/lambda\/arm64\/producer\.zip$/);
        assert.match(await consumer.code.path, /artifacts\/lambda\/arm64\/consumer\.zip$/);
    });

    it("deploys x86_64 when asked, from the x86_64 packages", async () => {
        pulumi.runtime.setAllConfig({ "jobs:architecture": "x86_64", "jobs:namePrefix": "fn-x86" });
        const settings = readSettings(new pulumi.Config("jobs"), "test");
        pulumi.runtime.setAllConfig({});
        const d = await deploy(settings);
        const consumer = d.one("aws:lambda/function:Function", "consumer").inputs;

        assert.equal(settings.architecture, "x86_64");
        assert.deepEqual(consumer.architectures, ["x86_64"]);
        assert.match(await consumer.code.path, /artifacts\/lambda\/x86_64\/consumer\.zip$/);
    });

    it("hands the configured model quotas and the default pace to the consumer", async () => {
        const d = await deploy(settingsFor("fn-quotas", {
            modelQuotas: { "stability.stable-image-core-v1:1": 90, "us.stability.sd3-5-large-v1:0": 30 },
            inferenceProfileIds: ["us.stability.sd3-5-large-v1:0"],
            defaultModelQuota: 12,
            bulkShare: 0.25,
        }));
        const consumer = d.one("aws:lambda/function:Function", "consumer").inputs.environment.variables;

        assert.equal(consumer.JOBS_MODEL_QUOTAS, "stability.stable-image-core-v1:1=90,us.stability.sd3-5-large-v1:0=30");
        assert.equal(consumer.JOBS_DEFAULT_MODEL_QUOTA, "12");
        assert.equal(consumer.JOBS_BULK_SHARE, "0.25");
        assert.equal(consumer.JOBS_CONSUMER_CONCURRENCY, "10", "a batch's records all run at once");
    });

    it("names every resource a function uses in its environment", async () => {
        const d = await deploy(settingsFor("fn-env", { guardrailId: "gr-1", guardrailVersion: "3" }));
        const producer = d.one("aws:lambda/function:Function", "producer").inputs.environment.variables;
        const consumer = d.one("aws:lambda/function:Function", "consumer").inputs.environment.variables;

        assert.equal(producer.JOBS_TABLE_NAME, "fn-env-jobs");
        assert.equal(producer.JOBS_QUEUE_URL, `https://sqs.${region}.amazonaws.com/${account}/fn-env-jobs`);
        assert.equal(producer.JOBS_BUCKET, `fn-env-images-${account}-${region}`);
        assert.equal(consumer.JOBS_TABLE_NAME, "fn-env-jobs");
        assert.equal(consumer.JOBS_QUEUE_URL, producer.JOBS_QUEUE_URL);
        assert.equal(consumer.JOBS_BUCKET, producer.JOBS_BUCKET);
        assert.equal(consumer.JOBS_TOPIC_ARN, `arn:aws:sns:${region}:${account}:fn-env-job-events`);
        assert.equal(consumer.JOBS_DEAD_LETTER_QUEUE_ARN, `arn:aws:sqs:${region}:${account}:fn-env-jobs-dlq`);
        assert.equal(consumer.JOBS_MAX_ATTEMPTS, "4");
        assert.equal(consumer.JOBS_RECONCILE_MARGIN_SECONDS, "120");
        assert.deepEqual([consumer.JOBS_GUARDRAIL_ID, consumer.JOBS_GUARDRAIL_VERSION], ["gr-1", "3"]);
    });

    it("feeds the consumer from the queue and the dead-letter queue with partial batch failures", async () => {
        const d = await deploy(settingsFor("fn-esm", { batchSize: 3, consumerMaxConcurrency: 12 }));
        const fromQueue = d.one("aws:lambda/eventSourceMapping:EventSourceMapping", "jobs-to-consumer").inputs;
        const fromDlq = d.one("aws:lambda/eventSourceMapping:EventSourceMapping", "dlq-to-consumer").inputs;
        const fromBulk = d.one("aws:lambda/eventSourceMapping:EventSourceMapping", "bulk-to-consumer").inputs;
        assert.equal(fromBulk.eventSourceArn, `arn:aws:sqs:${region}:${account}:fn-esm-jobs-bulk`);
        assert.ok(fromBulk.scalingConfig.maximumConcurrency < 12, "batch jobs leave the consumer room for single jobs");

        assert.equal(fromQueue.eventSourceArn, `arn:aws:sqs:${region}:${account}:fn-esm-jobs`);
        assert.equal(fromQueue.batchSize, 3);
        assert.deepEqual(fromQueue.functionResponseTypes, ["ReportBatchItemFailures"]);
        assert.equal(fromQueue.scalingConfig.maximumConcurrency, 12);
        assert.equal(fromQueue.functionName, `arn:aws:lambda:${region}:${account}:function:fn-esm-consumer`);
        assert.equal(fromDlq.eventSourceArn, `arn:aws:sqs:${region}:${account}:fn-esm-jobs-dlq`);
        assert.deepEqual(fromDlq.functionResponseTypes, ["ReportBatchItemFailures"]);
    });

    it("routes the API to the producer behind IAM authorization, throttled, and lets only that API invoke it", async () => {
        const d = await deploy(settingsFor("fn-api", { throttlingBurstLimit: 7, throttlingRateLimit: 3 }));
        const routes = d.all("aws:apigatewayv2/route:Route").map(r => r.inputs);
        const stage = d.one("aws:apigatewayv2/stage:Stage", "api-default").inputs;
        const integration = d.one("aws:apigatewayv2/integration:Integration", "api-producer").inputs;
        const permission = d.one("aws:lambda/permission:Permission", "api-invokes-producer").inputs;

        assert.deepEqual(routes.map(r => r.routeKey).sort(), [...routeKeys, ...publicRouteKeys].sort());
        assert.ok(routes.filter(r => routeKeys.includes(r.routeKey)).every(r => r.authorizationType === "AWS_IAM"));
        assert.deepEqual(routes.filter(r => r.authorizationType === "NONE").map(r => r.routeKey), ["GET /openapi.json"]);
        assert.deepEqual([integration.integrationType, integration.payloadFormatVersion], ["AWS_PROXY", "2.0"]);
        assert.deepEqual(stage.defaultRouteSettings, { throttlingBurstLimit: 7, throttlingRateLimit: 3, detailedMetricsEnabled: true });
        assert.equal(stage.autoDeploy, true);
        assert.equal(permission.principal, "apigateway.amazonaws.com");
        assert.equal(permission.sourceArn, `arn:aws:execute-api:${region}:${account}:abc123/*/*`);
    });

    it("logs each API request with its route, status, latencies and both error messages", async () => {
        const d = await deploy(settingsFor("fn-access"));
        const format = JSON.parse(d.one("aws:apigatewayv2/stage:Stage", "api-default").inputs.accessLogSettings.format);

        assert.equal(format.routeKey, "$context.routeKey");
        assert.equal(format.status, "$context.status");
        assert.equal(format.latency, "$context.responseLatency");
        assert.equal(format.integrationLatency, "$context.integrationLatency");
        assert.equal(format.errorMessage, "$context.error.message");
        assert.equal(format.integrationError, "$context.integrationErrorMessage");
    });

    it("traces both functions with X-Ray and caps the producer's concurrency", async () => {
        const d = await deploy(settingsFor("fn-ops", { producerReservedConcurrency: 30 }));
        const producer = d.one("aws:lambda/function:Function", "producer").inputs;
        const consumer = d.one("aws:lambda/function:Function", "consumer").inputs;
        const attachments = d.all("aws:iam/rolePolicyAttachment:RolePolicyAttachment").map(a => a.inputs);

        assert.deepEqual([producer.tracingConfig.mode, consumer.tracingConfig.mode], ["Active", "Active"]);
        assert.equal(producer.reservedConcurrentExecutions, 30);
        assert.deepEqual(attachments.map(a => a.role).sort(), ["fn-ops-consumer", "fn-ops-producer"]);
        assert.ok(attachments.every(a => a.policyArn === "arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess"));
    });

    it("runs the reconciler every minute by invoking the consumer with its schedule's input, and nothing else", async () => {
        const d = await deploy(settingsFor("fn-reconcile"));
        const schedule = d.one("aws:scheduler/schedule:Schedule", "reconcile").inputs;
        const role = d.one("aws:iam/role:Role", "reconcile-schedule").inputs;
        const policy = JSON.parse(d.one("aws:iam/rolePolicy:RolePolicy", "reconcile-schedule").inputs.policy).Statement;
        const consumerArn = `arn:aws:lambda:${region}:${account}:function:fn-reconcile-consumer`;

        assert.equal(schedule.scheduleExpression, "rate(1 minute)");
        assert.equal(schedule.target.arn, consumerArn);
        assert.deepEqual(JSON.parse(schedule.target.input), { reconcile: { scheduledTime: "<aws.scheduler.scheduled-time>" } });
        assert.deepEqual(JSON.parse(role.assumeRolePolicy).Statement[0].Principal, { Service: "scheduler.amazonaws.com" });
        assert.deepEqual(JSON.parse(role.assumeRolePolicy).Statement[0].Condition, { StringEquals: { "aws:SourceAccount": account } });
        assert.deepEqual(policy.map((p: any) => [p.Action, p.Resource]), [[["lambda:InvokeFunction"], [consumerArn]]]);
    });

    it("takes bearer tokens from the configured issuer on every caller's route when JWT is chosen", async () => {
        const d = await deploy(settingsFor("fn-jwt", {
            apiAuthorization: "JWT",
            jwtIssuer: "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Example",
            jwtAudiences: ["console-client"],
        }));
        const authorizer = d.one("aws:apigatewayv2/authorizer:Authorizer", "api-jwt").inputs;
        const routes = d.all("aws:apigatewayv2/route:Route").map(r => r.inputs).filter(r => routeKeys.includes(r.routeKey));

        assert.equal(authorizer.authorizerType, "JWT");
        assert.deepEqual(authorizer.identitySources, ["$request.header.Authorization"]);
        assert.deepEqual(authorizer.jwtConfiguration, { issuer: "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Example", audiences: ["console-client"] });
        assert.equal(routes.length, routeKeys.length);
        assert.ok(routes.every(r => r.authorizationType === "JWT" && r.authorizerId === "fn-jwt-api-jwt-id"));
    });

    it("gives every producer one generated cursor key and the consumer the API's address", async () => {
        const d = await deploy(settingsFor("fn-keys"));
        const producer = d.one("aws:lambda/function:Function", "producer").inputs;
        const consumer = d.one("aws:lambda/function:Function", "consumer").inputs;
        const key = d.one("random:index/randomBytes:RandomBytes", "cursor-key").inputs;

        assert.equal(key.length, 32);
        assert.equal(Buffer.from(producer.environment.variables.JOBS_CURSOR_KEY, "base64").length, 32);
        assert.equal(consumer.environment.variables.JOBS_CURSOR_KEY, undefined, "only the producer lists");
        assert.equal(consumer.environment.variables.JOBS_API_URL, "https://abc123.execute-api.us-east-1.amazonaws.com");
    });

    it("starts each scheduled batch by invoking the consumer with its manifest and the run's time", async () => {
        const d = await deploy(settingsFor("fn-sched", {
            manifestBuckets: ["team-lists"],
            schedules: [{ name: "nightly", cron: "cron(0 2 * * ? *)", manifest: { bucket: "team-lists", key: "nightly.jsonl" }, timezone: "Europe/Paris" }],
        }));
        const schedule = d.one("aws:scheduler/schedule:Schedule", "batch-nightly").inputs;

        assert.equal(schedule.scheduleExpression, "cron(0 2 * * ? *)");
        assert.equal(schedule.scheduleExpressionTimezone, "Europe/Paris");
        assert.equal(schedule.target.arn, `arn:aws:lambda:${region}:${account}:function:fn-sched-consumer`);
        assert.deepEqual(JSON.parse(schedule.target.input), {
            scheduledBatch: { name: "nightly", bucket: "team-lists", key: "nightly.jsonl", scheduledTime: "<aws.scheduler.scheduled-time>" },
        });
    });

    it("opens the routes only when configured to", async () => {
        const d = await deploy(settingsFor("fn-open", { apiAuthorization: "NONE" }));

        assert.ok(d.all("aws:apigatewayv2/route:Route").every(r => r.inputs.authorizationType === "NONE"));
    });

    it("exports the API URL and the names of the table, queue, bucket and topic", async () => {
        const d = await deploy(settingsFor("fn-out"));

        assert.equal(await valueOf(d.stack.apiUrl), "https://abc123.execute-api.us-east-1.amazonaws.com");
        assert.equal(await valueOf(d.stack.tableName), "fn-out-jobs");
        assert.equal(await valueOf(d.stack.queueName), "fn-out-jobs");
        assert.equal(await valueOf(d.stack.bucketName), `fn-out-images-${account}-${region}`);
        assert.equal(await valueOf(d.stack.topicName), "fn-out-job-events");
    });
});
