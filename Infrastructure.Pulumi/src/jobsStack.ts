import { createConsole } from "./console";
import * as pulumi from "@pulumi/pulumi";
import { connectApi, createHttpApi } from "./api";
import { createContext } from "./context";
import { createData } from "./data";
import { createFunctions } from "./functions";
import { createMonitoring } from "./monitoring";
import { Settings } from "./settings";
import { createTopics } from "./topics";

export { publicRouteKeys, routeKeys } from "./api";

/** What the stack exports, plus every resource it made (tests wait on them). */
export interface JobsStack {
    apiUrl: pulumi.Output<string>;
    tableName: pulumi.Output<string>;
    queueName: pulumi.Output<string>;
    queueUrl: pulumi.Output<string>;
    deadLetterQueueName: pulumi.Output<string>;
    bucketName: pulumi.Output<string>;
    /** Where input images are uploaded (through the API's presigned forms). */
    uploadsBucketName: pulumi.Output<string>;
    topicName: pulumi.Output<string>;
    topicArn: pulumi.Output<string>;
    alarmTopicArn: pulumi.Output<string>;
    dashboardName: pulumi.Output<string>;
    /** With `jobs:console`: where the console is, the API it calls, and the user pool its users are invited to. */
    consoleUrl?: pulumi.Output<string>;
    consoleApiUrl?: pulumi.Output<string>;
    consoleUserPoolId?: pulumi.Output<string>;
    resources: pulumi.Resource[];
}

/**
 * Creates every AWS resource of the service: table, queues, bucket, topics, both functions with
 * one least-privilege role each, the SQS event source mappings, the HTTP API, alarms and a
 * dashboard. Names come from `settings.namePrefix`.
 */
export function createJobsStack(settings: Settings): JobsStack {
    const resources: pulumi.Resource[] = [];
    const ctx = createContext(settings, resources);
    const data = createData(ctx);
    const topics = createTopics(ctx);
    const httpApi = createHttpApi(ctx);
    const functions = createFunctions(ctx, data, topics, httpApi);
    const api = connectApi(ctx, httpApi, functions.producer);
    const dashboard = createMonitoring(ctx, data, topics, functions, api);
    const console = settings.console ? createConsole(ctx, functions.producer) : undefined;
    return {
        apiUrl: api.api.apiEndpoint,
        tableName: data.table.name,
        queueName: data.queue.name,
        queueUrl: data.queue.url,
        deadLetterQueueName: data.deadLetterQueue.name,
        bucketName: data.bucket.bucket,
        uploadsBucketName: data.uploads.bucket,
        topicName: topics.topic.name,
        topicArn: topics.topic.arn,
        alarmTopicArn: topics.alarmTopic.arn,
        dashboardName: dashboard.dashboardName,
        consoleUrl: console?.url,
        consoleApiUrl: console?.apiUrl,
        consoleUserPoolId: console?.userPoolId,
        resources,
    };
}
