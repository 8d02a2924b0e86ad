import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Settings } from "./settings";

/**
 * What every part of the stack needs: the settings, the names, where it is deployed (partition,
 * Region, account, so ARNs are right in aws, aws-cn and aws-us-gov alike) and the list every
 * resource is added to.
 */
export interface StackContext {
    settings: Settings;
    /** `${namePrefix}-${suffix}`: every resource name starts with the prefix. */
    name(suffix: string): string;
    partition: pulumi.Output<string>;
    /** The partition's DNS suffix: amazonaws.com, or amazonaws.com.cn in China. */
    dnsSuffix: pulumi.Output<string>;
    region: pulumi.Output<string>;
    account: pulumi.Output<string>;
    add<T extends pulumi.Resource>(resource: T): T;
}

export function createContext(settings: Settings, resources: pulumi.Resource[]): StackContext {
    const partition = aws.getPartitionOutput();
    return {
        settings,
        name: suffix => `${settings.namePrefix}-${suffix}`,
        partition: partition.partition,
        dnsSuffix: partition.dnsSuffix,
        region: aws.getRegionOutput().region,
        account: aws.getCallerIdentityOutput().accountId,
        add: resource => {
            resources.push(resource);
            return resource;
        },
    };
}
