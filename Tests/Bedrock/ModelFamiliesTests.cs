using System.Text;
using System.Text.Json.Nodes;
using Jobs.Consumer.Bedrock;
using Jobs.Shared.Jobs;
using Jobs.Shared.Models;

namespace Jobs.Tests.Bedrock;

/// <summary>Each family's request body and the reading of its answers, including the content-filter forms that come back as HTTP 200.</summary>
public sealed class ModelFamiliesTests
{
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47];

    private static ImageGenerationException Refusal(ModelFamily family, string json) =>
        Assert.Throws<ImageGenerationException>(() => ModelFamilies.ReadResponse(family, Encoding.UTF8.GetBytes(json), new JobRequest { Prompt = "p", Model = "m" }))!;

    [Test]
    public void Titan_and_Nova_requests_use_the_task_type_shape()
    {
        var body = ModelFamilies.WriteRequest(ModelFamily.AmazonImage, new JobRequest
        {
            Prompt = "a fox",
            NegativePrompt = "blur",
            Model = ModelCatalog.NovaCanvas,
            Width = 1280,
            Height = 720,
            Count = 3,
            Seed = 9,
            Quality = "premium",
            CfgScale = 6.5,
            Style = "PHOTOREALISM",
        });
        var json = JsonNode.Parse(body)!;

        Assert.That(json["taskType"]!.GetValue<string>(), Is.EqualTo("TEXT_IMAGE"));
        Assert.That(json["textToImageParams"]!.ToJsonString(), Is.EqualTo("{\"text\":\"a fox\",\"negativeText\":\"blur\",\"style\":\"PHOTOREALISM\"}"));
        Assert.That(json["imageGenerationConfig"]!.ToJsonString(), Is.EqualTo("{\"numberOfImages\":3,\"quality\":\"premium\",\"cfgScale\":6.5,\"height\":720,\"width\":1280,\"seed\":9}"));
    }

    [Test]
    public void Sdxl_requests_carry_the_negative_prompt_as_a_negative_weight()
    {
        var body = ModelFamilies.WriteRequest(ModelFamily.StabilityXl, new JobRequest
        {
            Prompt = "a fox",
            NegativePrompt = "blur",
            Model = ModelCatalog.Sdxl,
            Width = 1344,
            Height = 768,
            Steps = 30,
            CfgScale = 7,
            Style = "anime",
            Seed = 5,
        });
        var json = JsonNode.Parse(body)!;

        Assert.That(json["text_prompts"]!.ToJsonString(), Is.EqualTo("[{\"text\":\"a fox\",\"weight\":1},{\"text\":\"blur\",\"weight\":-1}]"));
        Assert.That((json["width"]!.GetValue<int>(), json["height"]!.GetValue<int>(), json["samples"]!.GetValue<int>()), Is.EqualTo((1344, 768, 1)));
        Assert.That(json["style_preset"]!.GetValue<string>(), Is.EqualTo("anime"));
    }

    [Test]
    public void Amazon_answers_with_images_are_read_with_the_request_seed()
    {
        var images = ModelFamilies.ReadResponse(
            ModelFamily.AmazonImage,
            Encoding.UTF8.GetBytes($"{{\"images\":[\"{Convert.ToBase64String(Png)}\",\"{Convert.ToBase64String(Png)}\"]}}"),
            new JobRequest { Prompt = "p", Model = "m", Seed = 11 });

        Assert.That(images.Select(i => (i.Content.Length, i.Seed)), Is.EqualTo(new[] { (4, 11L), (4, 11L) }));
    }

    [Test]
    public void A_blocked_Nova_output_is_content_filtered_with_the_reason()
    {
        var error = Refusal(ModelFamily.AmazonImage, "{\"images\":[],\"error\":\"All of the generated images have been blocked by our content filters.\"}");

        Assert.That(error.Error.Code, Is.EqualTo(JobErrorCodes.ContentFiltered));
        Assert.That(error.Error.Message, Does.Contain("blocked by our content filters"));
        Assert.That(error.IsRetryable, Is.False);
    }

    [TestCase("Filter reason: prompt", JobErrorCodes.ContentFiltered)]
    [TestCase("Filter reason: output image", JobErrorCodes.ContentFiltered)]
    [TestCase("Inference error", JobErrorCodes.ModelError)]
    public void Stability_finish_reasons_end_the_job(string reason, string code)
    {
        var error = Refusal(ModelFamily.StabilityImage, $"{{\"seeds\":[1],\"finish_reasons\":[\"{reason}\"],\"images\":[\"{Convert.ToBase64String(Png)}\"]}}");

        Assert.That((error.Error.Code, error.Error.Message), Is.EqualTo((code, reason)));
    }

    [TestCase("CONTENT_FILTERED", JobErrorCodes.ContentFiltered)]
    [TestCase("ERROR", JobErrorCodes.ModelError)]
    public void Sdxl_artifact_finish_reasons_end_the_job(string reason, string code)
    {
        var error = Refusal(ModelFamily.StabilityXl, $"{{\"result\":\"success\",\"artifacts\":[{{\"seed\":1,\"base64\":\"{Convert.ToBase64String(Png)}\",\"finishReason\":\"{reason}\"}}]}}");

        Assert.That(error.Error.Code, Is.EqualTo(code));
    }

    [Test]
    public void Sdxl_success_keeps_each_artifacts_seed()
    {
        var images = ModelFamilies.ReadResponse(
            ModelFamily.StabilityXl,
            Encoding.UTF8.GetBytes($"{{\"result\":\"success\",\"artifacts\":[{{\"seed\":123,\"base64\":\"{Convert.ToBase64String(Png)}\",\"finishReason\":\"SUCCESS\"}}]}}"),
            new JobRequest { Prompt = "p", Model = "m" });

        Assert.That(images.Single().Seed, Is.EqualTo(123));
    }

    [Test]
    public void An_unreadable_answer_is_a_model_error_not_a_retry()
    {
        var error = Refusal(ModelFamily.AmazonImage, "{\"images\": [\"not base64!\"]}");

        Assert.That((error.Error.Code, error.IsRetryable), Is.EqualTo((JobErrorCodes.ModelError, false)));
    }
}
