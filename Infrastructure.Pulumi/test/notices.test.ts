import "./mocks";
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { deploy, settingsFor } from "./deploy";
import { account, region } from "./mocks";

describe("topics and subscriptions", () => {
    it("encrypts both topics with a rotating customer key that CloudWatch may use", async () => {
        const d = await deploy(settingsFor("topics-key"));
        const key = d.one("aws:kms/key:Key", "topics").inputs;
        const events = d.one("aws:sns/topic:Topic", "job-events").inputs;
        const alarms = d.one("aws:sns/topic:Topic", "alarms").inputs;
        const keyPolicy = JSON.parse(key.policy).Statement;

        assert.equal(key.enableKeyRotation, true);
        assert.equal(events.kmsMasterKeyId, alarms.kmsMasterKeyId);
        assert.match(events.kmsMasterKeyId, /^arn:aws:kms:/);
        const cloudwatch = keyPolicy.find((s: any) => s.Principal?.Service === "cloudwatch.amazonaws.com");
        // Only this account's alarms may use the key (the confused-deputy conditions).
        assert.deepEqual(cloudwatch.Condition, {
            StringEquals: { "aws:SourceAccount": account },
            ArnLike: { "aws:SourceArn": `arn:aws:cloudwatch:${region}:${account}:alarm:*` },
        });
    });

    it("subscribes the configured email and https endpoints, each with its filter policy", async () => {
        const d = await deploy(settingsFor("topics-subs", {
            emailSubscribers: [{ endpoint: "ops@example.com", filterPolicy: { type: ["job.failed"] } }, { endpoint: "all@example.com" }],
            webhookSubscribers: [{ endpoint: "https://hooks.example.com/jobs", filterPolicy: { status: ["succeeded"], model: [{ prefix: "stability." }] } }],
            alarmEmail: "pager@example.com",
        }));
        const subscriptions = d.all("aws:sns/topicSubscription:TopicSubscription").map(s => s.inputs);
        const byEndpoint = Object.fromEntries(subscriptions.map(s => [s.endpoint, s]));

        assert.equal(byEndpoint["ops@example.com"].protocol, "email");
        assert.deepEqual(JSON.parse(byEndpoint["ops@example.com"].filterPolicy), { type: ["job.failed"] });
        assert.equal(byEndpoint["ops@example.com"].filterPolicyScope, "MessageAttributes");
        assert.equal(byEndpoint["all@example.com"].filterPolicy, undefined);
        assert.equal(byEndpoint["https://hooks.example.com/jobs"].protocol, "https");
        assert.deepEqual(JSON.parse(byEndpoint["https://hooks.example.com/jobs"].filterPolicy).model, [{ prefix: "stability." }]);
        assert.match(byEndpoint["pager@example.com"].topic, /topics-subs-alarms$/);
        assert.match(byEndpoint["ops@example.com"].topic, /topics-subs-job-events$/);
    });

    it("gives each subscriber a dead-letter queue only the job-events topic may send to", async () => {
        const d = await deploy(settingsFor("topics-dlq", {
            emailSubscribers: [{ endpoint: "ops@example.com" }],
            webhookSubscribers: [{ endpoint: "https://hooks.example.com/jobs" }],
        }));
        const topicArn = `arn:aws:sns:${region}:${account}:topics-dlq-job-events`;

        for (const [kind, endpoint] of [["email-0", "ops@example.com"], ["webhook-0", "https://hooks.example.com/jobs"]]) {
            const subscription = d.one("aws:sns/topicSubscription:TopicSubscription", kind).inputs;
            const queue = d.one("aws:sqs/queue:Queue", `${kind}-dlq`).inputs;
            const policy = JSON.parse(d.one("aws:sqs/queuePolicy:QueuePolicy", `${kind}-dlq-policy`).inputs.policy).Statement[0];
            assert.equal(subscription.endpoint, endpoint);
            assert.equal(JSON.parse(subscription.redrivePolicy).deadLetterTargetArn, `arn:aws:sqs:${region}:${account}:topics-dlq-${kind}-dlq`);
            assert.equal(queue.sqsManagedSseEnabled, true);
            assert.deepEqual(policy.Principal, { Service: "sns.amazonaws.com" });
            assert.deepEqual(policy.Condition, { ArnEquals: { "aws:SourceArn": topicArn } });
        }
    });
});
