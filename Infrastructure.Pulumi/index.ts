import * as pulumi from "@pulumi/pulumi";
import { createJobsStack } from "./src/jobsStack";
import { readSettings } from "./src/settings";

const stack = createJobsStack(readSettings(new pulumi.Config("jobs"), pulumi.getStack()));

export const apiUrl = stack.apiUrl;
export const tableName = stack.tableName;
export const queueName = stack.queueName;
export const queueUrl = stack.queueUrl;
export const deadLetterQueueName = stack.deadLetterQueueName;
export const bucketName = stack.bucketName;
export const uploadsBucketName = stack.uploadsBucketName;
export const consoleUrl = stack.consoleUrl;
export const consoleApiUrl = stack.consoleApiUrl;
export const consoleUserPoolId = stack.consoleUserPoolId;
export const topicName = stack.topicName;
export const topicArn = stack.topicArn;
export const alarmTopicArn = stack.alarmTopicArn;
export const dashboardName = stack.dashboardName;
