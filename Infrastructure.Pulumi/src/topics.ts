import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { StackContext } from "./context";
import { policyDocument } from "./policy";
import { Subscriber } from "./settings";

/** The job-events topic for subscribers, the alarms topic for operators, and the key of both. */
export interface Topics {
    topicKey: aws.kms.Key;
    topic: aws.sns.Topic;
    alarmTopic: aws.sns.Topic;
}

export function createTopics(ctx: StackContext): Topics {
    const { settings: s, name: n, add, partition, region, account } = ctx;

    // One customer key for both topics: CloudWatch can publish to an encrypted topic only with a key
    // policy that lets it, and only for this account's alarms (the confused-deputy conditions).
    const topicKey = add(new aws.kms.Key(n("topics"), {
        description: `Encrypts the ${s.namePrefix} SNS topics`,
        enableKeyRotation: true,
        policy: policyDocument([
            { Sid: "AccountAdministers", Effect: "Allow", Principal: { AWS: pulumi.interpolate`arn:${partition}:iam::${account}:root` }, Action: ["kms:*"], Resource: ["*"] },
            {
                Sid: "CloudWatchPublishesAlarms",
                Effect: "Allow",
                Principal: { Service: "cloudwatch.amazonaws.com" },
                Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
                Resource: ["*"],
                Condition: {
                    StringEquals: { "aws:SourceAccount": account },
                    ArnLike: { "aws:SourceArn": pulumi.interpolate`arn:${partition}:cloudwatch:${region}:${account}:alarm:*` },
                },
            },
        ]),
    }));
    add(new aws.kms.Alias(n("topics-alias"), { name: `alias/${n("topics")}`, targetKeyId: topicKey.keyId }));
    const topic = add(new aws.sns.Topic(n("job-events"), { name: n("job-events"), kmsMasterKeyId: topicKey.arn }));

    const subscribe = (kind: string, protocol: string, subscribers: Subscriber[]) => subscribers.forEach((subscriber, i) => {
        // A notice SNS could not deliver (an endpoint down past SNS's retries, a bounced address)
        // waits here for an operator instead of being dropped.
        const deadLetters = add(new aws.sqs.Queue(n(`${kind}-${i}-dlq`), {
            name: n(`${kind}-${i}-dlq`),
            messageRetentionSeconds: 14 * 24 * 3600,
            sqsManagedSseEnabled: true,
        }));
        add(new aws.sqs.QueuePolicy(n(`${kind}-${i}-dlq-policy`), {
            queueUrl: deadLetters.url,
            policy: policyDocument([{
                Sid: "TopicDeadLetters",
                Effect: "Allow",
                Principal: { Service: "sns.amazonaws.com" },
                Action: ["sqs:SendMessage"],
                Resource: [deadLetters.arn],
                Condition: { ArnEquals: { "aws:SourceArn": topic.arn } },
            }]),
        }));
        add(new aws.sns.TopicSubscription(n(`${kind}-${i}`), {
            topic: topic.arn,
            protocol,
            endpoint: subscriber.endpoint,
            filterPolicy: subscriber.filterPolicy ? JSON.stringify(subscriber.filterPolicy) : undefined,
            filterPolicyScope: subscriber.filterPolicy ? "MessageAttributes" : undefined,
            redrivePolicy: pulumi.jsonStringify({ deadLetterTargetArn: deadLetters.arn }),
        }));
    });
    subscribe("email", "email", s.emailSubscribers);
    subscribe("webhook", "https", s.webhookSubscribers);

    const alarmTopic = add(new aws.sns.Topic(n("alarms"), { name: n("alarms"), kmsMasterKeyId: topicKey.arn }));
    if (s.alarmEmail) {
        add(new aws.sns.TopicSubscription(n("alarm-email"), { topic: alarmTopic.arn, protocol: "email", endpoint: s.alarmEmail }));
    }

    return { topicKey, topic, alarmTopic };
}
