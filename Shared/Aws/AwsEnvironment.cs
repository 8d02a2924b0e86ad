using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Credentials;

namespace Jobs.Shared.Aws;

/// <summary>
/// Region and credentials for the hand-written clients, from the SDK's own default chains, so they
/// find credentials exactly where the SDK clients do (Lambda's environment, profiles, IMDS...).
/// </summary>
public static class AwsEnvironment
{
    public static RegionEndpoint Region() =>
        FallbackRegionFactory.GetRegionEndpoint() ?? throw new InvalidOperationException("No AWS region is configured; set AWS_REGION.");

    public static Func<AWSCredentials> Credentials()
    {
        var resolver = new DefaultAWSCredentialsIdentityResolver();
        AWSCredentials? resolved = null;
        // The chain is walked once; the credentials object it returns refreshes itself.
        return () => resolved ??= resolver.ResolveIdentity(null);
    }
}
