import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { StackContext } from "./context";

/** The route keys of the HTTP API that act for a caller, all served by the Producer. */
export const routeKeys = [
    "POST /jobs", "GET /jobs", "HEAD /jobs", "GET /jobs/{id}", "HEAD /jobs/{id}", "POST /jobs/{id}/cancel", "GET /models", "HEAD /models",
    "POST /batches", "GET /batches", "HEAD /batches", "GET /batches/{id}", "HEAD /batches/{id}", "POST /batches/{id}/cancel",
    "GET /batches/{id}/jobs", "HEAD /batches/{id}/jobs", "POST /uploads",
];

/** Routes anyone may read: the API's own description, so clients can be generated before signing in. */
export const publicRouteKeys = ["GET /openapi.json"];

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

/**
 * The HTTP API itself, made before the functions so the consumer can put the API's address in
 * its notices; {@link connectApi} then routes it to the producer.
 */
export function createHttpApi(ctx: StackContext): aws.apigatewayv2.Api {
    const { settings: s, name: n, add } = ctx;
    return add(new aws.apigatewayv2.Api(n("api"), {
        name: n("api"),
        protocolType: "HTTP",
        corsConfiguration: s.corsAllowedOrigins.length > 0
            ? { allowOrigins: s.corsAllowedOrigins, allowMethods: ["GET", "POST"], allowHeaders: ["content-type", "authorization", "x-amz-date", "x-amz-security-token", "x-amz-content-sha256"], maxAge: 3600 }
            : undefined,
    }));
}

/** How an API's routes are authorized, and the prefix of its resources' names. */
export interface ApiAccess {
    prefix: string;
    authorization: "AWS_IAM" | "JWT" | "NONE";
    issuer?: pulumi.Input<string>;
    audiences?: pulumi.Input<string>[];
}

/** Routes every path to the producer behind the configured authorization, with the stage's throttles and access log. */
export function connectApi(ctx: StackContext, api: aws.apigatewayv2.Api, producer: aws.lambda.Function, access?: ApiAccess): Api {
    const { settings: s, add } = ctx;
    const { prefix, authorization, issuer, audiences } = access ?? { prefix: "api", authorization: s.apiAuthorization, issuer: s.jwtIssuer, audiences: s.jwtAudiences };
    const n = (suffix: string) => ctx.name(suffix.replace(/^api/, prefix));
    // With a JWT authorizer the caller is the token's subject (the producer reads the claims API
    // Gateway passes on); the issuer's keys are fetched by API Gateway, never by the function.
    const authorizer = authorization === "JWT"
        ? add(new aws.apigatewayv2.Authorizer(n("api-jwt"), {
            apiId: api.id,
            name: n("api-jwt"),
            authorizerType: "JWT",
            identitySources: ["$request.header.Authorization"],
            jwtConfiguration: { issuer, audiences },
        }))
        : undefined;
    const integration = add(new aws.apigatewayv2.Integration(n("api-producer"), {
        apiId: api.id,
        integrationType: "AWS_PROXY",
        integrationUri: producer.arn,
        payloadFormatVersion: "2.0",
        timeoutMilliseconds: 29000,
    }));
    const route = (routeKey: string, open: boolean) => add(new aws.apigatewayv2.Route(n(`${prefix === "api" ? "" : prefix + "-"}route-${routeKey.replace(/[^A-Za-z]+/g, "-").toLowerCase()}`), {
        apiId: api.id,
        routeKey,
        target: pulumi.interpolate`integrations/${integration.id}`,
        authorizationType: open ? "NONE" : authorization,
        authorizerId: open ? undefined : authorizer?.id,
    }));
    routeKeys.forEach(routeKey => route(routeKey, false));
    publicRouteKeys.forEach(routeKey => route(routeKey, true));
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
