import "./mocks";
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { deploy, settingsFor } from "./deploy";
import { checkSettings, readSettings } from "../src/settings";
import { account, region } from "./mocks";

describe("alarms, dashboard and config", () => {
    it("alarms on the dead-letter queue, message age, consumer errors, Bedrock throttles and job failures", async () => {
        const d = await deploy(settingsFor("ops-alarms", { oldestMessageAlarmSeconds: 1200 }));
        const alarms: Record<string, any> = Object.fromEntries(d.all("aws:cloudwatch/metricAlarm:MetricAlarm").map(a => [a.inputs.name, a.inputs]));
        const alarmTopic = `arn:aws:sns:${region}:${account}:ops-alarms-alarms`;

        assert.deepEqual(Object.keys(alarms).sort(), [
            "ops-alarms-bedrock-throttles", "ops-alarms-consumer-errors", "ops-alarms-dlq-not-empty", "ops-alarms-job-failures", "ops-alarms-oldest-message-age",
        ]);
        for (const alarm of Object.values(alarms)) {
            assert.deepEqual(alarm.alarmActions, [alarmTopic]);
        }
        const dlq = alarms["ops-alarms-dlq-not-empty"];
        assert.deepEqual([dlq.metricName, dlq.dimensions.QueueName, dlq.threshold, dlq.comparisonOperator],
            ["ApproximateNumberOfMessagesVisible", "ops-alarms-jobs-dlq", 0, "GreaterThanThreshold"]);
        assert.equal(alarms["ops-alarms-oldest-message-age"].threshold, 1200);
        assert.deepEqual(alarms["ops-alarms-consumer-errors"].dimensions, { FunctionName: "ops-alarms-consumer" });
        // The consumer's Embedded Metric Format lines (Shared/Metrics/JobMetrics.cs) feed these two.
        assert.deepEqual([alarms["ops-alarms-bedrock-throttles"].namespace, alarms["ops-alarms-bedrock-throttles"].metricName], ["Jobs", "BedrockThrottled"]);
        assert.deepEqual([alarms["ops-alarms-job-failures"].namespace, alarms["ops-alarms-job-failures"].metricName], ["Jobs", "JobFailed"]);
        assert.deepEqual(alarms["ops-alarms-job-failures"].dimensions, { Service: "consumer" });
    });

    it("draws a dashboard of jobs, queues and functions", async () => {
        const d = await deploy(settingsFor("ops-dash"));
        const body = JSON.parse(d.one("aws:cloudwatch/dashboard:Dashboard", "dashboard").inputs.dashboardBody);

        assert.deepEqual(body.widgets.map((w: any) => w.properties.title), ["Jobs", "Queue", "Functions"]);
        assert.ok(JSON.stringify(body).includes("ops-dash-jobs-dlq"));
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

    it("reads stack config with defaults that pass the rules", () => {
        pulumi.runtime.setAllConfig({ "jobs:consumerTimeoutSeconds": "200", "jobs:modelIds": "[\"amazon.nova-canvas-v1:0\"]" });
        const settings = readSettings(new pulumi.Config("jobs"), "prod");

        assert.equal(settings.namePrefix, "jobs-prod");
        assert.equal(settings.consumerTimeoutSeconds, 200);
        assert.equal(settings.visibilityTimeoutSeconds, 1200, "six times the consumer's timeout by default");
        assert.deepEqual(settings.modelIds, ["amazon.nova-canvas-v1:0"]);
        assert.equal(settings.apiAuthorization, "AWS_IAM");
        assert.deepEqual(checkSettings(settings), []);
    });
});
