import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { StackContext } from "./context";

/** The route keys of the HTTP API, all served by the Producer. */
export const routeKeys = ["POST /jobs", "GET /jobs", "GET /jobs/{id}", "POST /jobs/{id}/cancel", "GET /models"];

/** The HTTP API in front of the producer, with what the alarms need of it. */
export interface Api {
    api: aws.apigatewayv2.Api;
    stage: aws.apigatewayv2.Stage;
}

/**
 * The access log line of every request: who, which route, what status, how long the API and the
 * integration took, and, when it failed, API Gateway's error and the integration's own error.
 */
export const accessLogFormat = {
    requestId: "$context.requestId",
    requestTime: "$context.requestTime",
    ip: "$context.identity.sourceIp",
    caller: "$context.identity.caller",
    routeKey: "$context.routeKey",
    status: "$context.status",
    responseLength: "$context.responseLength",
    latency: "$context.responseLatency",
    integrationLatency: "$context.integrationLatency",
    integrationStatus: "$context.integrationStatus",
    errorMessage: "$context.error.message",
    integrationError: "$context.integrationErrorMessage",
};

export function createApi(ctx: StackContext, producer: aws.lambda.Function): Api {
    const { settings: s, name: n, add } = ctx;
    const api = add(new aws.apigatewayv2.Api(n("api"), {
        name: n("api"),
        protocolType: "HTTP",
        corsConfiguration: s.corsAllowedOrigins.length > 0
            ? { allowOrigins: s.corsAllowedOrigins, allowMethods: ["GET", "POST"], allowHeaders: ["content-type", "authorization", "x-amz-date", "x-amz-security-token", "x-amz-content-sha256"], maxAge: 3600 }
            : undefined,
    }));
    const integration = add(new aws.apigatewayv2.Integration(n("api-producer"), {
        apiId: api.id,
        integrationType: "AWS_PROXY",
        integrationUri: producer.arn,
        payloadFormatVersion: "2.0",
        timeoutMilliseconds: 29000,
    }));
    routeKeys.forEach(routeKey => add(new aws.apigatewayv2.Route(n(`route-${routeKey.replace(/[^A-Za-z]+/g, "-").toLowerCase()}`), {
        apiId: api.id,
        routeKey,
        target: pulumi.interpolate`integrations/${integration.id}`,
        authorizationType: s.apiAuthorization,
    })));
    const accessLogs = add(new aws.cloudwatch.LogGroup(n("api-access"), { name: `/aws/apigateway/${n("api")}`, retentionInDays: s.logRetentionDays }));
    const stage = add(new aws.apigatewayv2.Stage(n("api-default"), {
        apiId: api.id,
        name: "$default",
        autoDeploy: true,
        defaultRouteSettings: {
            throttlingBurstLimit: s.throttlingBurstLimit,
            throttlingRateLimit: s.throttlingRateLimit,
            // Per-route 4xx, 5xx, latency and count, not only the API's totals.
            detailedMetricsEnabled: true,
        },
        accessLogSettings: { destinationArn: accessLogs.arn, format: JSON.stringify(accessLogFormat) },
    }));
    add(new aws.lambda.Permission(n("api-invokes-producer"), {
        action: "lambda:InvokeFunction",
        function: producer.name,
        principal: "apigateway.amazonaws.com",
        sourceArn: pulumi.interpolate`${api.executionArn}/*/*`,
    }));
    return { api, stage };
}
