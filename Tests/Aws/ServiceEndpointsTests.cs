using Jobs.Shared.Aws;

namespace Jobs.Tests.Aws;

public sealed class ServiceEndpointsTests
{
    [Test]
    public void The_service_specific_variable_wins()
    {
        var env = new Dictionary<string, string> { ["AWS_ENDPOINT_URL_SNS"] = "http://127.0.0.1:1", ["AWS_ENDPOINT_URL"] = "http://127.0.0.1:2" };

        Assert.That(ServiceEndpoints.Resolve("SNS", "sns", "us-west-2", env.GetValueOrDefault).ToString(), Is.EqualTo("http://127.0.0.1:1/"));
    }

    [Test]
    public void The_global_variable_applies_when_no_service_variable_is_set()
    {
        var env = new Dictionary<string, string> { ["AWS_ENDPOINT_URL"] = "http://127.0.0.1:2" };

        Assert.That(ServiceEndpoints.Resolve("BEDROCK_RUNTIME", "bedrock-runtime", "us-west-2", env.GetValueOrDefault).ToString(), Is.EqualTo("http://127.0.0.1:2/"));
    }

    [Test]
    public void Without_variables_the_public_regional_endpoint_is_used()
    {
        Assert.That(
            ServiceEndpoints.Resolve("BEDROCK_RUNTIME", "bedrock-runtime", "eu-central-1", _ => null).ToString(),
            Is.EqualTo("https://bedrock-runtime.eu-central-1.amazonaws.com/"));
    }
}
