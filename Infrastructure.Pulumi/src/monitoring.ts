import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Api } from "./api";
import { StackContext } from "./context";
import { Data } from "./data";
import { Functions } from "./functions";
import { Topics } from "./topics";

/** An alarm name part from a model id: CloudWatch takes the id's dots and colons, but names read better without. */
export const alarmSafe = (model: string) => model.replace(/[^A-Za-z0-9-]+/g, "-");

/** A statistic per kind of metric: tails for durations, the worst for ages and depths, totals for counts. */
export const statistics = { duration: "p95", gauge: "Maximum", count: "Sum" } as const;

/** Share of a function's timeout its p95 duration may reach before the alarm: past it, invocations start to time out. */
export const durationAlarmShare = 0.8;

/**
 * The alarms an operator of this service needs, all to the alarms topic, and one dashboard. The
 * dead-letter queue is drained by the consumer (its jobs are failed with a notice), so its depth
 * stays near zero: its alarm counts messages received from it instead.
 */
export function createMonitoring(ctx: StackContext, data: Data, topics: Topics, functions: Functions, api: Api): aws.cloudwatch.Dashboard {
    const { settings: s, name: n, add, region } = ctx;
    const alarm = (name: string, args: Omit<aws.cloudwatch.MetricAlarmArgs, "alarmActions" | "okActions" | "name" | "treatMissingData">) =>
        add(new aws.cloudwatch.MetricAlarm(n(name), {
            name: n(name),
            alarmActions: [topics.alarmTopic.arn],
            okActions: [topics.alarmTopic.arn],
            treatMissingData: "notBreaching",
            ...args,
        }));
    const sum = (namespace: string, metricName: string, dimensions: Record<string, pulumi.Input<string>>, threshold: number, alarmDescription: string, evaluationPeriods = 1) => ({
        alarmDescription, namespace, metricName, dimensions, statistic: statistics.count, period: 300, evaluationPeriods, threshold, comparisonOperator: "GreaterThanThreshold",
    });

    const functionsByName = [
        ["producer", functions.producer, s.producerTimeoutSeconds],
        ["consumer", functions.consumer, s.consumerTimeoutSeconds],
    ] as const;
    for (const [fn, lambda, timeoutSeconds] of functionsByName) {
        const dimensions = { FunctionName: lambda.name };
        alarm(`${fn}-errors`, sum("AWS/Lambda", "Errors", dimensions, 0,
            `The ${fn} failed invocations (crashes, timeouts, unhandled errors).`));
        alarm(`${fn}-throttles`, sum("AWS/Lambda", "Throttles", dimensions, 0,
            `The ${fn} was throttled: its concurrency limit (or the account's) is reached.`));
        alarm(`${fn}-duration-p95`, {
            alarmDescription: `The ${fn}'s p95 duration is near its ${timeoutSeconds} s timeout.`,
            namespace: "AWS/Lambda",
            metricName: "Duration",
            dimensions,
            extendedStatistic: statistics.duration,
            period: 300,
            evaluationPeriods: 3,
            threshold: timeoutSeconds * 1000 * durationAlarmShare,
            comparisonOperator: "GreaterThanThreshold",
        });
    }

    const apiDimensions = { ApiId: api.api.id, Stage: api.stage.name };
    alarm("api-5xx", sum("AWS/ApiGateway", "5xx", apiDimensions, 5,
        "The API answered with server errors: the producer failed or could not be reached (see the access log's integrationError)."));
    alarm("api-latency-p95", {
        alarmDescription: `The API's p95 latency stayed above ${s.apiLatencyAlarmMs} ms.`,
        namespace: "AWS/ApiGateway",
        metricName: "Latency",
        dimensions: apiDimensions,
        extendedStatistic: statistics.duration,
        period: 300,
        evaluationPeriods: 3,
        threshold: s.apiLatencyAlarmMs,
        comparisonOperator: "GreaterThanThreshold",
    });
    alarm("oldest-message-age", {
        alarmDescription: "Jobs are waiting too long: Bedrock capacity, or the consumer is not running.",
        namespace: "AWS/SQS",
        metricName: "ApproximateAgeOfOldestMessage",
        dimensions: { QueueName: data.queue.name },
        statistic: statistics.gauge,
        period: 300,
        evaluationPeriods: 1,
        threshold: s.oldestMessageAlarmSeconds,
        comparisonOperator: "GreaterThanThreshold",
    });
    alarm("dead-letters", sum("AWS/SQS", "NumberOfMessagesReceived", { QueueName: data.deadLetterQueue.name }, 0,
        "Messages reached the dead-letter queue: their jobs were failed as dead_lettered; find out why."));
    // The consumer's Embedded Metric Format lines (Shared/Metrics/JobMetrics.cs) feed these two.
    alarm("job-failures", sum("Jobs", "JobFailed", { Service: "consumer" }, 5, "Jobs are failing (see error.code in the consumer's logs)."));
    alarm("bedrock-throttles", sum("Jobs", "BedrockThrottled", { Service: "consumer" }, 50,
        "Bedrock is throttling many jobs: they wait and retry, but consider a quota increase.", 3));

    // Each model's pace: alarms when its throttled share stays high (the pace runs above the quota
    // it learned: a quota was lowered, or another client shares it), and when claimed jobs had
    // waited long (the backlog outgrows the quota; the SQS age alone resets with every deferral).
    const models = [...s.modelIds, ...s.inferenceProfileIds];
    for (const model of models) {
        const dimensions = { Service: "consumer", Model: model };
        alarm(`throttled-share-${alarmSafe(model)}`, {
            alarmDescription: `Over ${s.throttledShareAlarm * 100} % of ${model}'s calls were throttled for 15 minutes: its quota is lower than the pace (set jobs:modelQuotas) or shared with another client.`,
            evaluationPeriods: 3,
            threshold: s.throttledShareAlarm,
            comparisonOperator: "GreaterThanThreshold",
            metricQueries: [
                { id: "throttled", metric: { namespace: "Jobs", metricName: "BedrockThrottled", dimensions, stat: statistics.count, period: 300 } },
                { id: "answered", metric: { namespace: "Jobs", metricName: "BedrockCalls", dimensions, stat: statistics.count, period: 300 } },
                // A handful of calls is no evidence either way.
                { id: "share", expression: "IF(throttled + answered >= 10, throttled / (throttled + answered), 0)", label: "throttled share", returnData: true },
            ],
        });
    }
    alarm("queued-age", {
        alarmDescription: `Jobs claimed in the last 15 minutes had waited over ${s.queuedAgeAlarmSeconds} s since submission: the backlog outgrows the models' quotas.`,
        namespace: "Jobs",
        metricName: "QueuedAgeMs",
        dimensions: { Service: "consumer" },
        statistic: statistics.gauge,
        period: 300,
        evaluationPeriods: 3,
        threshold: s.queuedAgeAlarmSeconds * 1000,
        comparisonOperator: "GreaterThanThreshold",
    });

    const metric = (namespace: string, name: string, dimension: string, value: pulumi.Input<string>, stat: string, label?: string) =>
        [namespace, name, dimension, value, { stat, ...(label ? { label } : {}) }];
    const widget = (title: string, metrics: unknown[][]) => ({ type: "metric", width: 12, height: 6, properties: { title, region, period: 300, view: "timeSeries", metrics } });
    const lambdaMetrics = (stat: string, name: string) => functionsByName.map(([fn, lambda]) =>
        metric("AWS/Lambda", name, "FunctionName", lambda.name, stat, `${fn} ${name}`));
    const paceWidget = (model: string) => {
        const jobsMetric = (name: string, stat: string, options: Record<string, unknown>) => ["Jobs", name, "Service", "consumer", "Model", model, { stat, ...options }];
        return widget(`Pace: ${model}`, [
            jobsMetric("BedrockCalls", statistics.count, { id: "answered", label: "calls answered" }),
            jobsMetric("BedrockThrottled", statistics.count, { id: "throttled", label: "calls throttled" }),
            [{ expression: "IF(throttled + answered > 0, 100 * throttled / (throttled + answered), 0)", label: "throttled share (%)", id: "share", yAxis: "right" }],
            jobsMetric("PaceWaitMs", statistics.count, { label: "jobs sent to wait for a slot" }),
            jobsMetric("PaceWaitMs", statistics.duration, { label: "slot wait p95 (ms)", yAxis: "right" }),
            jobsMetric("SubmitToCompleteMs", statistics.duration, { label: "submit to complete p95 (ms)", yAxis: "right" }),
        ]);
    };
    const apiMetric = (name: string, stat: string) => ["AWS/ApiGateway", name, "ApiId", api.api.id, "Stage", api.stage.name, { stat }];
    return add(new aws.cloudwatch.Dashboard(n("dashboard"), {
        dashboardName: n("dashboard"),
        dashboardBody: pulumi.jsonStringify({
            widgets: [
                widget("Jobs", ["JobSucceeded", "JobFailed", "JobDeferred", "BedrockThrottled"].map(m => metric("Jobs", m, "Service", "consumer", statistics.count))),
                widget("Queue depth and age", [
                    metric("AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", data.queue.name, statistics.gauge, "waiting"),
                    metric("AWS/SQS", "ApproximateAgeOfOldestMessage", "QueueName", data.queue.name, statistics.gauge, "oldest (s)"),
                ]),
                widget("Dead letters received", [metric("AWS/SQS", "NumberOfMessagesReceived", "QueueName", data.deadLetterQueue.name, statistics.count)]),
                widget("API requests and errors", [apiMetric("Count", statistics.count), apiMetric("4xx", statistics.count), apiMetric("5xx", statistics.count)]),
                widget("API latency (p95)", [apiMetric("Latency", statistics.duration), apiMetric("IntegrationLatency", statistics.duration)]),
                widget("Function errors and throttles", [...lambdaMetrics(statistics.count, "Errors"), ...lambdaMetrics(statistics.count, "Throttles")]),
                widget("Function duration (p95)", lambdaMetrics(statistics.duration, "Duration")),
                widget("Function concurrency", lambdaMetrics(statistics.gauge, "ConcurrentExecutions")),
                ...models.map(model => paceWidget(model)),
            ],
        }),
    }));
}
