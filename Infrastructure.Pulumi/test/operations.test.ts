import "./mocks";
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { deploy, settingsFor } from "./deploy";
import { checkSettings, readSettings } from "../src/settings";
import { account, region } from "./mocks";

describe("alarms, dashboard and config", () => {
    it("alarms on what an operator must act on, each to the alarms topic", async () => {
        const d = await deploy(settingsFor("ops-alarms", { oldestMessageAlarmSeconds: 1200 }));
        const alarms: Record<string, any> = Object.fromEntries(d.all("aws:cloudwatch/metricAlarm:MetricAlarm").map(a => [a.inputs.name.replace("ops-alarms-", ""), a.inputs]));
        const alarmTopic = `arn:aws:sns:${region}:${account}:ops-alarms-alarms`;

        assert.deepEqual(Object.keys(alarms).sort(), [
            "api-5xx", "api-latency-p95", "bedrock-throttles",
            "consumer-duration-p95", "consumer-errors", "consumer-throttles",
            "dead-letters", "job-failures", "oldest-message-age",
            "producer-duration-p95", "producer-errors", "producer-throttles",
            "queued-age",
            "throttled-share-stability-sd3-5-large-v1-0",
            "throttled-share-stability-stable-image-core-v1-1",
            "throttled-share-stability-stable-image-ultra-v1-1",
        ]);
        for (const alarm of Object.values(alarms)) {
            assert.deepEqual(alarm.alarmActions, [alarmTopic]);
            assert.equal(alarm.treatMissingData, "notBreaching");
        }
        assert.equal(alarms["oldest-message-age"].threshold, 1200);
        assert.deepEqual(alarms["consumer-errors"].dimensions, { FunctionName: "ops-alarms-consumer" });
        assert.deepEqual(alarms["producer-throttles"].dimensions, { FunctionName: "ops-alarms-producer" });
        // The consumer's Embedded Metric Format lines (Shared/Metrics/JobMetrics.cs) feed these two.
        assert.deepEqual([alarms["bedrock-throttles"].namespace, alarms["bedrock-throttles"].metricName], ["Jobs", "BedrockThrottled"]);
        assert.deepEqual([alarms["job-failures"].namespace, alarms["job-failures"].metricName], ["Jobs", "JobFailed"]);
        assert.deepEqual(alarms["job-failures"].dimensions, { Service: "consumer" });
    });

    it("alarms per model on a throttled share above the threshold, from a share only enough calls can show", async () => {
        const d = await deploy(settingsFor("ops-pace", { modelIds: ["stability.stable-image-core-v1:1"], throttledShareAlarm: 0.1, queuedAgeAlarmSeconds: 600 }));
        const share = d.one("aws:cloudwatch/metricAlarm:MetricAlarm", "throttled-share-stability-stable-image-core-v1-1").inputs;
        const age = d.one("aws:cloudwatch/metricAlarm:MetricAlarm", "queued-age").inputs;
        const byId = Object.fromEntries(share.metricQueries.map((q: any) => [q.id, q]));

        assert.equal(share.threshold, 0.1);
        assert.equal(share.evaluationPeriods, 3);
        assert.deepEqual([byId.throttled.metric.metricName, byId.throttled.metric.stat], ["BedrockThrottled", "Sum"]);
        assert.deepEqual(byId.answered.metric.dimensions, { Service: "consumer", Model: "stability.stable-image-core-v1:1" });
        assert.match(byId.share.expression, /throttled \/ \(throttled \+ answered\)/);
        assert.equal(byId.share.returnData, true);
        assert.deepEqual([age.namespace, age.metricName, age.statistic, age.threshold], ["Jobs", "QueuedAgeMs", "Maximum", 600000]);
    });

    it("counts dead letters received, because the consumer drains the dead-letter queue", async () => {
        const d = await deploy(settingsFor("ops-dlq"));
        const dlq = d.one("aws:cloudwatch/metricAlarm:MetricAlarm", "dead-letters").inputs;

        assert.deepEqual([dlq.namespace, dlq.metricName, dlq.dimensions.QueueName, dlq.statistic, dlq.threshold, dlq.comparisonOperator],
            ["AWS/SQS", "NumberOfMessagesReceived", "ops-dlq-jobs-dlq", "Sum", 0, "GreaterThanThreshold"]);
    });

    it("alarms on each function's p95 duration nearing its own timeout, and on the API's 5xx and p95 latency", async () => {
        const d = await deploy(settingsFor("ops-tails", { consumerTimeoutSeconds: 300, visibilityTimeoutSeconds: 1800, producerTimeoutSeconds: 10, apiLatencyAlarmMs: 1500 }));
        const alarm = (suffix: string) => d.one("aws:cloudwatch/metricAlarm:MetricAlarm", suffix).inputs;

        assert.deepEqual([alarm("consumer-duration-p95").extendedStatistic, alarm("consumer-duration-p95").threshold], ["p95", 240000]);
        assert.deepEqual([alarm("producer-duration-p95").extendedStatistic, alarm("producer-duration-p95").threshold], ["p95", 8000]);
        assert.equal(alarm("consumer-duration-p95").statistic, undefined, "a percentile alarm sets no plain statistic");
        assert.deepEqual([alarm("api-5xx").namespace, alarm("api-5xx").metricName, alarm("api-5xx").statistic], ["AWS/ApiGateway", "5xx", "Sum"]);
        assert.deepEqual(alarm("api-5xx").dimensions, { ApiId: "ops-tails-api-id", Stage: "$default" });
        assert.deepEqual([alarm("api-latency-p95").metricName, alarm("api-latency-p95").extendedStatistic, alarm("api-latency-p95").threshold], ["Latency", "p95", 1500]);
    });

    it("draws each metric on the dashboard with the statistic that fits it, the API and the producer included", async () => {
        const d = await deploy(settingsFor("ops-dash"));
        const body = JSON.parse(d.one("aws:cloudwatch/dashboard:Dashboard", "dashboard").inputs.dashboardBody);
        const lines: any[][] = body.widgets.flatMap((w: any) => w.properties.metrics);
        const statOf = (name: string) => [...new Set(lines.filter(m => m[1] === name).map(m => m[m.length - 1].stat))];

        assert.deepEqual(statOf("Duration"), ["p95"]);
        assert.deepEqual(statOf("Latency"), ["p95"]);
        assert.deepEqual(statOf("ApproximateAgeOfOldestMessage"), ["Maximum"]);
        assert.deepEqual(statOf("ApproximateNumberOfMessagesVisible"), ["Maximum"]);
        for (const count of ["Errors", "Throttles", "JobFailed", "NumberOfMessagesReceived", "5xx", "Count"]) {
            assert.deepEqual(statOf(count), ["Sum"], count);
        }
        assert.ok(lines.some(m => m[0] === "AWS/ApiGateway"), "the API is on the dashboard");
        assert.ok(lines.some(m => m[1] === "Errors" && m[3] === "ops-dash-producer"), "the producer is on the dashboard");
        assert.ok(lines.some(m => m[3] === "ops-dash-jobs-dlq"));
    });

    it("gives each model a pace widget: calls, throttled share, slot waits and p95 submit-to-complete", async () => {
        const d = await deploy(settingsFor("ops-pace-dash", { modelIds: ["stability.stable-image-core-v1:1"], inferenceProfileIds: ["us.stability.sd3-5-large-v1:0"] }));
        const body = JSON.parse(d.one("aws:cloudwatch/dashboard:Dashboard", "dashboard").inputs.dashboardBody);
        const pace = body.widgets.filter((w: any) => w.properties.title.startsWith("Pace: "));

        assert.deepEqual(pace.map((w: any) => w.properties.title), ["Pace: stability.stable-image-core-v1:1", "Pace: us.stability.sd3-5-large-v1:0"]);
        const lines: any[][] = pace[1].properties.metrics;
        const named = (name: string, stat: string) => lines.some(m => m[1] === name && m[5] === "us.stability.sd3-5-large-v1:0" && m[6].stat === stat);
        assert.ok(named("BedrockThrottled", "Sum") && named("BedrockCalls", "Sum"));
        assert.ok(named("SubmitToCompleteMs", "p95") && named("PaceWaitMs", "p95"));
        assert.ok(lines.some(m => typeof m[0] === "object" && /throttled \/ \(throttled \+ answered\)/.test(m[0].expression)));
    });

    it("refuses a name prefix that would not fit every resource name, in one clear message", () => {
        for (const bad of ["Jobs-Prod", "jobs_prod", "-jobs", "jobs-", "jobs--prod", "j", "a-very-long-prefix-for-jobs-x"]) {
            const problems = checkSettings(settingsFor(bad));
            assert.equal(problems.length, 1, `${bad}: ${problems.join(" ")}`);
            assert.match(problems[0], /^jobs:namePrefix ".*" must be 2-24 lower-case letters, digits and single hyphens/);
        }
        for (const good of ["jobs-prod", "j2", "jobs-prod-eu-1-blue"]) {
            assert.deepEqual(checkSettings(settingsFor(good)), [], good);
        }
    });

    it("refuses a visibility timeout under six times the consumer's timeout, and other broken rules, naming the key", () => {
        const problems = checkSettings(settingsFor("ops-bad", {
            consumerTimeoutSeconds: 300,
            visibilityTimeoutSeconds: 900,
            consumerMaxConcurrency: 1,
            guardrailId: "gr-1",
            webhookSubscribers: [{ endpoint: "http://insecure.example.com" }],
        }));

        assert.equal(problems.length, 4);
        assert.match(problems.join(" "), /jobs:visibilityTimeoutSeconds must be at least six times jobs:consumerTimeoutSeconds \(1800\)/);
        assert.match(problems.join(" "), /jobs:consumerMaxConcurrency/);
        assert.match(problems.join(" "), /jobs:guardrailId and jobs:guardrailVersion/);
        assert.match(problems.join(" "), /must be https/);
    });

    it("refuses a JWT authorizer without an https issuer and an audience, and JWT keys without JWT", () => {
        const missing = checkSettings(settingsFor("ops-jwt", { apiAuthorization: "JWT", jwtIssuer: "http://issuer.example.com" }));
        const stray = checkSettings(settingsFor("ops-jwt", { jwtAudiences: ["client"] }));

        assert.deepEqual(missing.length, 1);
        assert.match(missing[0], /jobs:jwtIssuer \(an https:\/\/ OpenID Connect issuer\) and jobs:jwtAudiences/);
        assert.deepEqual(stray, ["jobs:jwtIssuer and jobs:jwtAudiences apply only with jobs:apiAuthorization JWT."]);
    });

    it("refuses a schedule without a valid name, expression or allowed manifest bucket", () => {
        const problems = checkSettings(settingsFor("ops-sched", {
            manifestBuckets: ["lists"],
            schedules: [
                { name: "Nightly!", cron: "every night", manifest: { bucket: "elsewhere", key: "k" } },
                { name: "ok", cron: "rate(1 day)", manifest: { bucket: "lists", key: "k" } },
            ],
        }));

        assert.equal(problems.length, 3);
        assert.match(problems.join(" "), /name "Nightly!" must be/);
        assert.match(problems.join(" "), /cron must be an EventBridge Scheduler expression/);
        assert.match(problems.join(" "), /bucket listed in jobs:manifestBuckets/);
    });

    it("passes the presigned URL lifetime to the producer and refuses one SigV4 cannot sign", async () => {
        const d = await deploy(settingsFor("ops-urls", { presignedUrlMinutes: 15 }));
        const variables = d.one("aws:lambda/function:Function", "producer").inputs.environment.variables;

        assert.equal(variables.JOBS_PRESIGNED_URL_MINUTES, "15");
        for (const bad of [0, 10081, 2.5]) {
            const problems = checkSettings(settingsFor("ops-urls", { presignedUrlMinutes: bad }));
            assert.equal(problems.length, 1, String(bad));
            assert.match(problems[0], /jobs:presignedUrlMinutes must be a whole number of minutes from 1 to 10080/);
        }
    });

    it("refuses a batch share outside 0 to 0.9", () => {
        for (const bad of [-0.1, 0.95, Number.NaN]) {
            const problems = checkSettings(settingsFor("ops-share", { bulkShare: bad }));
            assert.equal(problems.length, 1, String(bad));
            assert.match(problems[0], /jobs:bulkShare must be a fraction from 0 to 0.9/);
        }
        assert.deepEqual(checkSettings(settingsFor("ops-share", { bulkShare: 0 })), []);
    });

    it("reads stack config with defaults that pass the rules", () => {
        pulumi.runtime.setAllConfig({ "jobs:consumerTimeoutSeconds": "200", "jobs:modelIds": "[\"amazon.nova-canvas-v1:0\"]" });
        const settings = readSettings(new pulumi.Config("jobs"), "prod");

        assert.equal(settings.namePrefix, "jobs-prod");
        assert.equal(settings.consumerTimeoutSeconds, 200);
        assert.equal(settings.visibilityTimeoutSeconds, 1200, "six times the consumer's timeout by default");
        assert.deepEqual(settings.modelIds, ["amazon.nova-canvas-v1:0"]);
        assert.equal(settings.apiAuthorization, "AWS_IAM");
        assert.equal(settings.architecture, "arm64");
        assert.equal(settings.consumerZip, "../artifacts/lambda/arm64/consumer.zip");
        assert.deepEqual(checkSettings(settings), []);
    });

    it("refuses a quota for a model the consumer may not call, a non-positive quota and an unknown architecture", () => {
        const problems = checkSettings(settingsFor("ops-quota", {
            modelQuotas: { "stability.stable-image-core-v1:1": 0, "amazon.titan-image-generator-v2:0": 10 },
            architecture: "sparc" as any,
        })).join(" ");

        assert.match(problems, /stability\.stable-image-core-v1:1 must be a positive number/);
        assert.match(problems, /names amazon\.titan-image-generator-v2:0, which is in neither/);
        assert.match(problems, /jobs:architecture must be arm64 or x86_64/);
    });
});
