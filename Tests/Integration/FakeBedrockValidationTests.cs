using System.Text;
using Jobs.Local.Cli;
using Jobs.Local.FakeBedrock;
using Jobs.Shared.Aws;
using Jobs.Consumer.Bedrock;
using Jobs.Shared.Models;
using Jobs.Tests.Support;

namespace Jobs.Tests.Integration;

/// <summary>
/// The fake Bedrock checks each family's body and answers in Bedrock's shapes, seen through the
/// service's own signed InvokeModel client, so the real error handling is what gets exercised.
/// </summary>
public sealed class FakeBedrockValidationTests
{
    private static async Task<BedrockException> RefusalAsync(string model, string body)
    {
        var stack = await TestStack.GetAsync();
        using var http = new HttpClient(new SigV4SigningHandler("bedrock", AwsEnvironment.Region(), AwsEnvironment.Credentials(), TimeProvider.System, new SocketsHttpHandler()))
        {
            BaseAddress = stack.Bedrock.Endpoint,
        };
        var client = new BedrockRuntimeClient(http, new BedrockOptions());
        try
        {
            await client.InvokeModelAsync(model, Encoding.UTF8.GetBytes(body), CancellationToken.None);
        }
        catch (BedrockException ex)
        {
            return ex;
        }

        Assert.Fail("the fake accepted the body");
        throw new InvalidOperationException();
    }

    [TestCase(ModelCatalog.TitanV2, "{\"taskType\":\"TEXT_IMAGE\",\"textToImageParams\":{\"text\":\"PROMPT536\"}}", "#/textToImageParams/text: expected maxLength: 512, actual: 536")]
    [TestCase(ModelCatalog.TitanV1, "{\"taskType\":\"TEXT_IMAGE\",\"textToImageParams\":{\"text\":\"x\",\"style\":\"PHOTOREALISM\"}}", "extraneous key [style] is not permitted")]
    [TestCase(ModelCatalog.NovaCanvas, "{\"taskType\":\"TEXT_IMAGE\",\"textToImageParams\":{\"text\":\"x\"},\"imageGenerationConfig\":{\"width\":1000,\"height\":1000}}", "multiple of 16")]
    [TestCase(ModelCatalog.NovaCanvas, "{\"taskType\":\"TEXT_IMAGE\",\"textToImageParams\":{\"text\":\"x\"},\"imageGenerationConfig\":{\"numberOfImages\":6}}", "#/imageGenerationConfig/numberOfImages: 6 is not in range 1..5")]
    [TestCase(ModelCatalog.Sdxl, "{\"text_prompts\":[{\"text\":\"x\"}],\"steps\":70}", "#/steps: 70 is not in range 10..50")]
    [TestCase(ModelCatalog.Sdxl, "{\"text_prompts\":[{\"text\":\"x\"}],\"width\":1000,\"height\":1000}", "1000x1000 is not a supported width and height")]
    [TestCase(ModelCatalog.StableImageCore, "{\"prompt\":\"x\",\"aspect_ratio\":\"7:3\"}", "#/aspect_ratio: 7:3 is not a valid enum value")]
    [TestCase(ModelCatalog.Sd35Large, "{\"aspect_ratio\":\"1:1\"}", "#: required key [prompt] not found")]
    public async Task A_body_that_breaks_the_familys_schema_gets_Bedrocks_validation_error(string model, string body, string detail)
    {
        var error = await RefusalAsync(model, body.Replace("PROMPT536", new string('a', 536), StringComparison.Ordinal));

        Assert.That((error.ErrorType, error.StatusCode), Is.EqualTo((BedrockErrors.Validation, 400)));
        Assert.That(error.BedrockMessage, Does.StartWith("Malformed input request: ").And.Contain(detail).And.EndWith(", please reformat your input and try again."));
    }

    [Test]
    public async Task An_unknown_model_is_not_found()
    {
        var error = await RefusalAsync("stability.no-such-model-v9:0", "{}");

        Assert.That((error.ErrorType, error.StatusCode), Is.EqualTo((BedrockErrors.ResourceNotFound, 404)));
    }

    [Test]
    public void The_command_line_knobs_set_latency_quota_and_error_rates_and_refuse_nonsense()
    {
        var options = new FakeBedrockOptions();

        FakeBedrockKnobs.Apply(options, "1000-6000", 12, ["InternalServerException=0.25", "ThrottlingException=0.5"]);

        Assert.That((options.LatencyMin, options.LatencyMax), Is.EqualTo((TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(6))));
        Assert.That(options.RequestsPerMinute, Is.EqualTo(12));
        Assert.That(options.ErrorRates[BedrockErrors.InternalServer], Is.EqualTo(0.25));
        Assert.That(options.ErrorRates[BedrockErrors.Throttling], Is.EqualTo(0.5));
        Assert.That(() => FakeBedrockKnobs.Apply(new FakeBedrockOptions(), "soon", null, []), Throws.ArgumentException.With.Message.Contains("--bedrock-latency"));
        Assert.That(() => FakeBedrockKnobs.Apply(new FakeBedrockOptions(), null, null, ["GremlinException=0.1"]), Throws.ArgumentException.With.Message.Contains("GremlinException"));
        Assert.That(() => FakeBedrockKnobs.Apply(new FakeBedrockOptions(), null, null, ["InternalServerException=2"]), Throws.ArgumentException.With.Message.Contains("--bedrock-error-rate"));
    }
}
