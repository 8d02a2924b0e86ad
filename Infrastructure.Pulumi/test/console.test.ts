import "./mocks";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { deploy, settingsFor, statements } from "./deploy";
import { account, region } from "./mocks";
import { consoleContentSecurityPolicy, consoleSource } from "../src/console";

describe("web console", () => {
    it("makes nothing for the console unless jobs:console is on", async () => {
        const d = await deploy(settingsFor("console-off"));

        assert.equal(d.all("aws:cloudfront/distribution:Distribution").length, 0);
        assert.equal(d.all("aws:cognito/userPool:UserPool").length, 0);
        assert.equal(d.all("aws:apigatewayv2/api:Api").length, 1);
    });

    it("serves the console from a private bucket that only its distribution may read, over HTTPS only, with security headers", async () => {
        const d = await deploy(settingsFor("console-site", { console: true }));
        const distribution = d.one("aws:cloudfront/distribution:Distribution", "console").inputs;
        const oac = d.one("aws:cloudfront/originAccessControl:OriginAccessControl", "console-oac").inputs;
        const headers = d.one("aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy", "console-headers").inputs.securityHeadersConfig;
        const block = d.one("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "console-public-access").inputs;
        const policy = statements(d.one("aws:s3/bucketPolicy:BucketPolicy", "console-read-by-cloudfront").inputs.policy);

        assert.deepEqual([block.blockPublicAcls, block.blockPublicPolicy, block.ignorePublicAcls, block.restrictPublicBuckets], [true, true, true, true]);
        assert.deepEqual([oac.originAccessControlOriginType, oac.signingBehavior, oac.signingProtocol], ["s3", "always", "sigv4"]);
        assert.equal(distribution.origins[0].originAccessControlId, "console-site-console-oac-id");
        assert.equal(distribution.defaultCacheBehavior.viewerProtocolPolicy, "redirect-to-https");
        assert.deepEqual(distribution.defaultCacheBehavior.allowedMethods, ["GET", "HEAD"]);
        assert.equal(distribution.defaultCacheBehavior.responseHeadersPolicyId, "console-site-console-headers-id");
        assert.equal(distribution.defaultRootObject, "index.html");
        assert.equal(distribution.viewerCertificate.minimumProtocolVersion, "TLSv1.2_2021");
        assert.equal(headers.strictTransportSecurity.accessControlMaxAgeSec, 63072000);
        assert.equal(headers.frameOptions.frameOption, "DENY");
        assert.equal(headers.contentSecurityPolicy.contentSecurityPolicy, consoleContentSecurityPolicy);
        const read = policy.find((s: any) => s.Effect === "Allow");
        assert.deepEqual(read.Principal, { Service: "cloudfront.amazonaws.com" });
        assert.deepEqual(read.Action, ["s3:GetObject"]);
        assert.deepEqual(read.Condition, { StringEquals: { "AWS:SourceArn": `arn:aws:cloudfront::${account}:distribution/E2EXAMPLE` } });
        assert.equal(policy.filter((s: any) => s.Effect === "Allow").length, 1, "nobody else may read it");
    });

    it("signs users in with Cognito (code with PKCE, no secret, invited users only) back to the distribution", async () => {
        const d = await deploy(settingsFor("console-users", { console: true }));
        const pool = d.one("aws:cognito/userPool:UserPool", "console-users").inputs;
        const client = d.one("aws:cognito/userPoolClient:UserPoolClient", "console").inputs;

        assert.equal(pool.adminCreateUserConfig.allowAdminCreateUserOnly, true);
        assert.ok(pool.passwordPolicy.minimumLength >= 12);
        assert.equal(client.generateSecret, false, "a browser cannot keep a secret");
        assert.deepEqual(client.allowedOauthFlows, ["code"]);
        assert.deepEqual(client.callbackUrls, ["https://d111111abcdef8.cloudfront.net/"]);
    });

    it("gives the console an API of its own whose routes take the pool's tokens, leaving the main API's authorization as configured", async () => {
        const d = await deploy(settingsFor("console-api", { console: true }));
        const authorizer = d.one("aws:apigatewayv2/authorizer:Authorizer", "console-api-jwt").inputs;
        const apis = d.all("aws:apigatewayv2/api:Api").map(a => a.inputs);
        const consoleRoutes = d.all("aws:apigatewayv2/route:Route").filter(r => r.name.startsWith("console-api-console-api-route")).map(r => r.inputs);
        const mainRoutes = d.all("aws:apigatewayv2/route:Route").filter(r => r.name.startsWith("console-api-route-")).map(r => r.inputs);

        assert.equal(authorizer.authorizerType, "JWT");
        assert.equal(authorizer.jwtConfiguration.issuer, `https://cognito-idp.${region}.amazonaws.com/console-api-console-users-id`);
        assert.deepEqual(authorizer.jwtConfiguration.audiences, ["console-api-console-id"]);
        assert.deepEqual(apis.find(a => a.name === "console-api-console-api")!.corsConfiguration.allowOrigins, ["https://d111111abcdef8.cloudfront.net"]);
        assert.ok(consoleRoutes.some(r => r.routeKey === "POST /jobs" && r.authorizationType === "JWT"));
        assert.ok(consoleRoutes.filter(r => r.routeKey !== "GET /openapi.json").every(r => r.authorizationType === "JWT"));
        assert.ok(mainRoutes.filter(r => r.routeKey === "POST /jobs").every(r => r.authorizationType === "AWS_IAM"), "the main API keeps IAM");
        assert.ok(mainRoutes.some(r => r.routeKey === "POST /uploads"), "uploads are routed");
    });

    it("uploads the console's files and a config naming its API and sign-in", async () => {
        const d = await deploy(settingsFor("console-files", { console: true }));
        const objects = d.all("aws:s3/bucketObjectv2:BucketObjectv2").map(o => o.inputs);
        const config = JSON.parse(objects.find(o => o.key === "console/config.json")!.content);

        assert.deepEqual(objects.map(o => o.key).sort(), ["console/app.css", "console/app.js", "console/config.json", "index.html"]);
        assert.ok(fs.existsSync(path.join(consoleSource, "index.html")), consoleSource);
        assert.equal(config.apiUrl, "https://abc123.execute-api.us-east-1.amazonaws.com/");
        assert.equal(config.cognito.clientId, "console-files-console-id");
        assert.match(config.cognito.domain, /^https:\/\/console-files-console-123456789012\.auth\.us-east-1\.amazoncognito\.com$/);
    });
});
