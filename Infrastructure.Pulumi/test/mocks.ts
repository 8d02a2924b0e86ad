import * as pulumi from "@pulumi/pulumi";

/** A resource as the program asked for it: its type token, name and resolved inputs. */
export interface Recorded {
    type: string;
    name: string;
    inputs: Record<string, any>;
}

export const account = "123456789012";
export const region = "us-east-1";
/** The partition the mocked provider reports; a test may switch it to check partition-aware ARNs. */
export const partition = { name: "aws", dnsSuffix: "amazonaws.com" };
export const recorded: Recorded[] = [];

/** The outputs AWS would fill in, derived from the inputs the way AWS names things. */
function outputsFor(type: string, name: string, inputs: Record<string, any>): Record<string, unknown> {
    const id = inputs.name ?? name;
    switch (type) {
        case "aws:dynamodb/table:Table":
            return { arn: `arn:aws:dynamodb:${region}:${account}:table/${id}` };
        case "aws:apigatewayv2/stage:Stage":
            return { name: inputs.name };
        case "aws:sqs/queue:Queue":
            return { arn: `arn:aws:sqs:${region}:${account}:${id}`, url: `https://sqs.${region}.amazonaws.com/${account}/${id}` };
        case "aws:s3/bucket:Bucket":
            return { arn: `arn:aws:s3:::${inputs.bucket}`, bucket: inputs.bucket };
        case "aws:sns/topic:Topic":
            return { arn: `arn:aws:sns:${region}:${account}:${id}` };
        case "aws:kms/key:Key":
            return { arn: `arn:aws:kms:${region}:${account}:key/${name}`, keyId: name };
        case "aws:iam/role:Role":
            return { arn: `arn:aws:iam::${account}:role/${id}` };
        case "aws:lambda/function:Function":
            return { arn: `arn:aws:lambda:${region}:${account}:function:${id}`, invokeArn: `arn:aws:apigateway:${region}:lambda:path/${id}` };
        case "aws:cloudwatch/logGroup:LogGroup":
            return { arn: `arn:aws:logs:${region}:${account}:log-group:${id}` };
        case "aws:apigatewayv2/api:Api":
            return { apiEndpoint: "https://abc123.execute-api.us-east-1.amazonaws.com", executionArn: `arn:aws:execute-api:${region}:${account}:abc123` };
        case "aws:cloudfront/distribution:Distribution":
            return { arn: `arn:aws:cloudfront::${account}:distribution/E2EXAMPLE`, domainName: "d111111abcdef8.cloudfront.net" };
        case "aws:cognito/userPool:UserPool":
            return { arn: `arn:aws:cognito-idp:${region}:${account}:userpool/${region}_Example` };
        case "random:index/randomBytes:RandomBytes":
            return { base64: Buffer.alloc(inputs.length, 7).toString("base64") };
        default:
            return {};
    }
}

pulumi.runtime.setMocks(
    {
        newResource(args: pulumi.runtime.MockResourceArgs) {
            recorded.push({ type: args.type, name: args.name, inputs: args.inputs });
            return { id: `${args.name}-id`, state: { ...args.inputs, ...outputsFor(args.type, args.name, args.inputs) } };
        },
        call(args: pulumi.runtime.MockCallArgs) {
            switch (args.token) {
                case "aws:index/getPartition:getPartition":
                    return { id: partition.name, partition: partition.name, dnsSuffix: partition.dnsSuffix, reverseDnsPrefix: "com.amazonaws" };
                case "aws:index/getRegion:getRegion":
                    return { id: region, name: region, region };
                case "aws:index/getCallerIdentity:getCallerIdentity":
                    return { id: account, accountId: account, arn: `arn:aws:iam::${account}:user/deployer`, userId: "AIDEXAMPLE" };
                default:
                    return {};
            }
        },
    },
    "jobs",
    "test",
    false,
);

/** The value of an output, once Pulumi has resolved it. */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise(resolve => output.apply(v => { resolve(v); return v; }));
}
