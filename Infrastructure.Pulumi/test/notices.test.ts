import "./mocks";
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { deploy, settingsFor } from "./deploy";

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
        assert.ok(keyPolicy.some((s: any) => s.Principal?.Service === "cloudwatch.amazonaws.com"));
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
});
