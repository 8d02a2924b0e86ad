import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as fs from "node:fs";
import * as path from "node:path";
import { connectApi } from "./api";
import { StackContext } from "./context";
import { policyDocument } from "./policy";
import { denyInsecureTransport, privateBucket } from "./privateBucket";

/** Where the console's static files are (the local stack serves the same files at /), run from src/ or compiled into dist/src/. */
export const consoleSource = [path.join(__dirname, "..", "..", "Local", "Console"), path.join(__dirname, "..", "..", "..", "Local", "Console")]
    .find(dir => fs.existsSync(path.join(dir, "index.html"))) ?? path.join(__dirname, "..", "..", "Local", "Console");

/** CloudFront's managed "CachingOptimized" cache policy. */
const cachingOptimized = "658327ea-f89d-4fab-a63d-7e88639e58f6";

/** The console's content security policy: its own files, the API and S3's presigned image URLs over HTTPS. */
export const consoleContentSecurityPolicy = "default-src 'self'; img-src 'self' https: data:; connect-src 'self' https:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

export interface Console {
    url: pulumi.Output<string>;
    apiUrl: pulumi.Output<string>;
    userPoolId: pulumi.Output<string>;
}

/**
 * The web console on AWS (`jobs:console`): its files in a private bucket that only this CloudFront
 * distribution may read (origin access control), served over HTTPS only with security headers;
 * users sign in with a Cognito user pool (authorization code with PKCE), and the console calls an
 * HTTP API of its own that takes their Cognito tokens (a JWT authorizer) and routes to the same
 * producer, so their jobs are owned by the signed-in user while the main API keeps its own
 * authorization.
 */
export function createConsole(ctx: StackContext, producer: aws.lambda.Function): Console {
    const { name: n, add, region } = ctx;
    const { bucket, publicAccess: block } = privateBucket(ctx, "console", true);
    const originAccess = add(new aws.cloudfront.OriginAccessControl(n("console-oac"), {
        name: n("console-oac"),
        originAccessControlOriginType: "s3",
        signingBehavior: "always",
        signingProtocol: "sigv4",
    }));
    const headers = add(new aws.cloudfront.ResponseHeadersPolicy(n("console-headers"), {
        name: n("console-headers"),
        securityHeadersConfig: {
            strictTransportSecurity: { accessControlMaxAgeSec: 63072000, includeSubdomains: true, preload: true, override: true },
            contentTypeOptions: { override: true },
            frameOptions: { frameOption: "DENY", override: true },
            referrerPolicy: { referrerPolicy: "strict-origin-when-cross-origin", override: true },
            contentSecurityPolicy: { contentSecurityPolicy: consoleContentSecurityPolicy, override: true },
        },
    }));
    const distribution = add(new aws.cloudfront.Distribution(n("console"), {
        enabled: true,
        comment: `${n("console")}: the Jobs web console`,
        defaultRootObject: "index.html",
        httpVersion: "http2and3",
        priceClass: "PriceClass_100",
        origins: [{ originId: "console", domainName: bucket.bucketRegionalDomainName, originAccessControlId: originAccess.id }],
        defaultCacheBehavior: {
            targetOriginId: "console",
            viewerProtocolPolicy: "redirect-to-https",
            allowedMethods: ["GET", "HEAD"],
            cachedMethods: ["GET", "HEAD"],
            compress: true,
            cachePolicyId: cachingOptimized,
            responseHeadersPolicyId: headers.id,
        },
        restrictions: { geoRestriction: { restrictionType: "none" } },
        viewerCertificate: { cloudfrontDefaultCertificate: true, minimumProtocolVersion: "TLSv1.2_2021" },
    }));
    add(new aws.s3.BucketPolicy(n("console-read-by-cloudfront"), {
        bucket: bucket.id,
        policy: policyDocument([
            {
                Sid: "CloudFrontReads",
                Effect: "Allow",
                Principal: { Service: "cloudfront.amazonaws.com" },
                Action: ["s3:GetObject"],
                Resource: [pulumi.interpolate`${bucket.arn}/*`],
                Condition: { StringEquals: { "AWS:SourceArn": distribution.arn } },
            },
            denyInsecureTransport(bucket),
        ]),
    }, { dependsOn: [block] }));

    const origin = pulumi.interpolate`https://${distribution.domainName}`;
    const pool = add(new aws.cognito.UserPool(n("console-users"), {
        name: n("console-users"),
        usernameAttributes: ["email"],
        autoVerifiedAttributes: ["email"],
        // Users are invited by an administrator; nobody signs themselves up to spend Bedrock money.
        adminCreateUserConfig: { allowAdminCreateUserOnly: true },
        passwordPolicy: { minimumLength: 12, requireLowercase: true, requireUppercase: true, requireNumbers: true, requireSymbols: false, temporaryPasswordValidityDays: 3 },
        mfaConfiguration: "OPTIONAL",
        softwareTokenMfaConfiguration: { enabled: true },
    }));
    const domain = add(new aws.cognito.UserPoolDomain(n("console-sign-in"), { domain: pulumi.interpolate`${n("console")}-${ctx.account}`, userPoolId: pool.id }));
    const client = add(new aws.cognito.UserPoolClient(n("console"), {
        name: n("console"),
        userPoolId: pool.id,
        generateSecret: false,
        allowedOauthFlowsUserPoolClient: true,
        allowedOauthFlows: ["code"],
        allowedOauthScopes: ["openid", "email"],
        supportedIdentityProviders: ["COGNITO"],
        callbackUrls: [pulumi.interpolate`${origin}/`],
        logoutUrls: [pulumi.interpolate`${origin}/`],
        preventUserExistenceErrors: "ENABLED",
        idTokenValidity: 60,
        accessTokenValidity: 60,
        tokenValidityUnits: { idToken: "minutes", accessToken: "minutes", refreshToken: "days" },
    }));

    const api = add(new aws.apigatewayv2.Api(n("console-api"), {
        name: n("console-api"),
        protocolType: "HTTP",
        corsConfiguration: { allowOrigins: [origin], allowMethods: ["GET", "POST"], allowHeaders: ["content-type", "authorization", "prefer"], exposeHeaders: ["location", "preference-applied"], maxAge: 3600 },
    }));
    connectApi(ctx, api, producer, {
        prefix: "console-api",
        authorization: "JWT",
        issuer: pulumi.interpolate`https://cognito-idp.${region}.amazonaws.com/${pool.id}`,
        audiences: [client.id],
    });

    const file = (key: string, source: string, contentType: string) => add(new aws.s3.BucketObjectv2(n(`console-${key.replace(/[^a-z]+/g, "-")}`), {
        bucket: bucket.id, key, source: new pulumi.asset.FileAsset(path.join(consoleSource, source)), contentType, cacheControl: "no-cache",
    }));
    file("index.html", "index.html", "text/html; charset=utf-8");
    file("console/app.js", "app.js", "text/javascript; charset=utf-8");
    file("console/app.css", "app.css", "text/css; charset=utf-8");
    add(new aws.s3.BucketObjectv2(n("console-config"), {
        bucket: bucket.id,
        key: "console/config.json",
        contentType: "application/json",
        cacheControl: "no-cache",
        content: pulumi.jsonStringify({
            apiUrl: pulumi.interpolate`${api.apiEndpoint}/`,
            cognito: { domain: pulumi.interpolate`https://${domain.domain}.auth.${region}.amazoncognito.com`, clientId: client.id },
        }),
    }));
    return { url: pulumi.interpolate`${origin}/`, apiUrl: pulumi.interpolate`${api.apiEndpoint}/`, userPoolId: pool.id };
}
