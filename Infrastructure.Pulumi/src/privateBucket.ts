import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { StackContext } from "./context";
import { Statement } from "./policy";

/** A bucket nobody outside the account reaches: the public access block the bucket policy must wait for. */
export interface PrivateBucket {
    bucket: aws.s3.Bucket;
    publicAccess: aws.s3.BucketPublicAccessBlock;
}

/**
 * Every bucket of the stack gets the same hardening: no public access, ACLs off (the owner owns
 * every object), encryption at rest; its name carries the account and Region because bucket names
 * are global, so one stack config deploys anywhere.
 */
export function privateBucket(ctx: StackContext, suffix: string, forceDestroy: boolean): PrivateBucket {
    const { name: n, add } = ctx;
    const bucket = add(new aws.s3.Bucket(n(suffix), {
        bucket: pulumi.interpolate`${n(suffix)}-${ctx.account}-${ctx.region}`,
        forceDestroy,
    }));
    const publicAccess = add(new aws.s3.BucketPublicAccessBlock(n(`${suffix}-public-access`), {
        bucket: bucket.id,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
    }));
    add(new aws.s3.BucketOwnershipControls(n(`${suffix}-ownership`), { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } }));
    add(new aws.s3.BucketServerSideEncryptionConfiguration(n(`${suffix}-sse`), {
        bucket: bucket.id,
        rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, bucketKeyEnabled: true }],
    }));
    return { bucket, publicAccess };
}

/** The statement every bucket policy of the stack carries: plain HTTP is refused. */
export function denyInsecureTransport(bucket: aws.s3.Bucket): Statement {
    return {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: ["s3:*"],
        Resource: [bucket.arn, pulumi.interpolate`${bucket.arn}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
    };
}
