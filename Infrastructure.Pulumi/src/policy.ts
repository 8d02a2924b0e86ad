import * as pulumi from "@pulumi/pulumi";

/** One IAM policy statement; resources may be outputs of other resources. */
export interface Statement {
    Sid: string;
    Effect: "Allow" | "Deny";
    Action: string[];
    Resource: pulumi.Input<string>[];
    Principal?: Record<string, unknown> | "*";
    Condition?: Record<string, unknown>;
}

/** A policy document as the JSON string IAM, S3 and KMS take. */
export function policyDocument(statements: Statement[]): pulumi.Output<string> {
    return pulumi.jsonStringify({ Version: "2012-10-17", Statement: statements });
}

/** The trust policy that lets Lambda assume a function's role. */
export const lambdaTrustPolicy = JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
});
