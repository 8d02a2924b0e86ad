using System.Text;
using Jobs.Consumer.Bedrock;
using Jobs.Shared.Jobs;

namespace Jobs.Tests.Bedrock;

public sealed class StabilityImageFamilyTests
{
    [Test]
    public void The_request_uses_Stability_field_names_and_leaves_out_what_is_unset()
    {
        var body = StabilityImageFamily.WriteRequest(new JobRequest
        {
            Prompt = "a lighthouse in a storm",
            Model = "stability.sd3-5-large-v1:0",
            AspectRatio = "16:9",
            Seed = 42,
        });

        Assert.That(Encoding.UTF8.GetString(body), Is.EqualTo("{\"prompt\":\"a lighthouse in a storm\",\"aspect_ratio\":\"16:9\",\"seed\":42,\"output_format\":\"png\"}"));
    }

    [Test]
    public void The_negative_prompt_is_sent_as_negative_prompt()
    {
        var body = Encoding.UTF8.GetString(StabilityImageFamily.WriteRequest(new JobRequest { Prompt = "p", Model = "m", NegativePrompt = "blurry" }));

        Assert.That(body, Does.Contain("\"negative_prompt\":\"blurry\""));
    }

    [Test]
    public void A_successful_answer_yields_the_decoded_image_and_its_seed()
    {
        var png = new byte[] { 1, 2, 3, 4 };
        var answer = $"{{\"seeds\":[1234],\"finish_reasons\":[null],\"images\":[\"{Convert.ToBase64String(png)}\"]}}";

        var images = StabilityImageFamily.ReadResponse(Encoding.UTF8.GetBytes(answer));

        Assert.That(images.Single().Content, Is.EqualTo(png));
        Assert.That(images.Single().Seed, Is.EqualTo(1234));
    }

    [TestCase("Filter reason: prompt")]
    [TestCase("Filter reason: output image")]
    public void A_filtered_answer_fails_the_job_as_content_filtered_with_the_reason(string reason)
    {
        var answer = $"{{\"seeds\":[1],\"finish_reasons\":[\"{reason}\"],\"images\":[\"AAAA\"]}}";

        var error = Assert.Throws<ImageGenerationException>(() => StabilityImageFamily.ReadResponse(Encoding.UTF8.GetBytes(answer)));

        Assert.That(error!.Error.Code, Is.EqualTo(JobErrorCodes.ContentFiltered));
        Assert.That(error.Error.Message, Is.EqualTo(reason));
        Assert.That(error.IsRetryable, Is.False);
    }

    [Test]
    public void An_inference_error_is_a_model_error()
    {
        var answer = "{\"seeds\":[1],\"finish_reasons\":[\"Inference error\"],\"images\":[]}";

        var error = Assert.Throws<ImageGenerationException>(() => StabilityImageFamily.ReadResponse(Encoding.UTF8.GetBytes(answer)));

        Assert.That(error!.Error.Code, Is.EqualTo(JobErrorCodes.ModelError));
    }

    [Test]
    public void An_answer_that_is_not_JSON_is_a_model_error()
    {
        var error = Assert.Throws<ImageGenerationException>(() => StabilityImageFamily.ReadResponse("<html>"u8.ToArray()));

        Assert.That(error!.Error.Code, Is.EqualTo(JobErrorCodes.ModelError));
    }
}
