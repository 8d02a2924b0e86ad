import * as pulumi from "@pulumi/pulumi";
import { StackContext } from "./context";
import { inferenceProfileGeographies } from "./settings";
import { Statement } from "./policy";

/** "us.stability.sd3-5-large-v1:0" → ["us", "stability.sd3-5-large-v1:0"]. */
export function splitInferenceProfile(id: string): [string, string] {
    const geography = inferenceProfileGeographies.find(g => id.startsWith(g + "."));
    if (!geography) {
        throw new Error(`${id} is not a cross-Region inference profile id`);
    }
    return [geography, id.slice(geography.length + 1)];
}

/**
 * What the consumer may invoke: the configured foundation models in this Region, the configured
 * cross-Region inference profiles, and the foundation model behind each profile in whichever Region
 * the profile routes to, but only when reached through that profile. Geographic profiles route
 * inside their geography (any Region of it: `*`); global profiles route to any commercial Region and
 * name the model without a Region.
 */
export function bedrockStatements(ctx: StackContext): Statement[] {
    const { settings: s, partition, region, account } = ctx;
    const statements: Statement[] = [];
    if (s.modelIds.length > 0) {
        statements.push({
            Sid: "GenerateImages",
            Effect: "Allow",
            Action: ["bedrock:InvokeModel"],
            Resource: s.modelIds.map(id => pulumi.interpolate`arn:${partition}:bedrock:${region}::foundation-model/${id}`),
        });
    }
    if (s.inferenceProfileIds.length > 0) {
        const profiles = s.inferenceProfileIds.map(id => pulumi.interpolate`arn:${partition}:bedrock:${region}:${account}:inference-profile/${id}`);
        statements.push({ Sid: "GenerateThroughProfiles", Effect: "Allow", Action: ["bedrock:InvokeModel"], Resource: profiles });
        statements.push({
            Sid: "ModelsBehindProfiles",
            Effect: "Allow",
            Action: ["bedrock:InvokeModel"],
            Resource: s.inferenceProfileIds.map(id => {
                const [geography, model] = splitInferenceProfile(id);
                return geography === "global"
                    ? pulumi.interpolate`arn:${partition}:bedrock:::foundation-model/${model}`
                    : pulumi.interpolate`arn:${partition}:bedrock:*::foundation-model/${model}`;
            }),
            Condition: { ArnLike: { "bedrock:InferenceProfileArn": profiles } },
        });
    }
    return statements;
}
