using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.S3;
using Amazon.S3.Model;
using Jobs.Consumer.Bedrock;
using Jobs.Consumer.Inputs;
using Jobs.Shared.Jobs;
using Jobs.Shared.Models;
using Jobs.Shared.Uploads;
using Jobs.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Jobs.Tests.Editing;

/// <summary>
/// A job that reads images is checked before anything is queued: the upload exists under the
/// caller's prefix, is an image by its bytes, fits the model, its mask fits the image, and every
/// parameter is in range. Each refusal is a 400 naming its field, and nothing is written.
/// </summary>
public sealed class EditValidationTests
{
    private static async Task<(HttpStatusCode Status, JsonNode Body)> SubmitAsync(ApiCalls api, object fields)
    {
        using var response = await api.PostJsonAsync("jobs", JsonSerializer.Serialize(fields));
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    private static string[] Fields(JsonNode problem) => problem["errors"]!.AsArray().Select(e => e!["field"]!.GetValue<string>()).ToArray();

    private static string Messages(JsonNode problem) => string.Join(" | ", problem["errors"]!.AsArray().Select(e => e!["message"]!.GetValue<string>()));

    [Test]
    public async Task An_image_too_small_for_the_model_is_refused_naming_its_size()
    {
        var stack = await TestStack.GetAsync();
        using var api = new ApiCalls(stack);
        var before = await api.JobCountAsync();
        var tiny = await Uploads.UploadAsync(api, TestImages.Scene(40, 40));

        var (status, problem) = await SubmitAsync(api, new { task = "inpaint", prompt = "a hat", image = tiny });

        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(Fields(problem), Is.EqualTo(new[] { "image" }));
        Assert.That(Messages(problem), Does.Contain("40×40").And.Contain("between 64"));
        Assert.That(await api.JobCountAsync(), Is.EqualTo(before), "nothing was written");
    }

    [Test]
    public async Task Bytes_that_are_not_an_image_are_refused_whatever_their_content_type_says()
    {
        var stack = await TestStack.GetAsync();
        using var api = new ApiCalls(stack);
        var text = await Uploads.UploadAsync(api, Encoding.UTF8.GetBytes("this is not a picture at all"), "image/png");

        var (status, problem) = await SubmitAsync(api, new { task = "remove-background", image = text });

        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(Fields(problem), Is.EqualTo(new[] { "image" }));
        Assert.That(Messages(problem), Does.Contain("not a PNG, JPEG or WEBP image (read from its bytes)"));
    }

    [Test]
    public async Task A_mask_of_another_size_than_the_image_is_refused_where_the_model_needs_the_same_size()
    {
        var stack = await TestStack.GetAsync();
        using var api = new ApiCalls(stack);
        var image = await Uploads.UploadAsync(api, TestImages.Scene(512, 512));
        var mask = await Uploads.UploadAsync(api, TestImages.Mask(384, 384));

        var (novaStatus, novaProblem) = await SubmitAsync(api, new { task = "inpaint", model = ModelCatalog.NovaCanvas, prompt = "a hat", image, mask });
        var (stabilityStatus, _) = await SubmitAsync(api, new { task = "inpaint", prompt = "a hat", image, mask });

        Assert.That(novaStatus, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(Fields(novaProblem), Is.EqualTo(new[] { "mask" }));
        Assert.That(Messages(novaProblem), Does.Contain("384×384").And.Contain("512×512"));
        Assert.That(stabilityStatus, Is.EqualTo(HttpStatusCode.Accepted), "Stability resizes a mask itself");
    }

    [Test]
    public async Task A_task_the_model_does_not_run_is_refused_naming_the_models_that_do()
    {
        var stack = await TestStack.GetAsync();
        using var api = new ApiCalls(stack);
        var image = await Uploads.UploadAsync(api, TestImages.Scene(256, 256));

        var (status, problem) = await SubmitAsync(api, new { task = "upscale", model = ModelCatalog.Sd35Large, prompt = "sharper", image });
        var (colorStatus, colorProblem) = await SubmitAsync(api, new { task = "color-guided", prompt = "a poster", colors = new[] { "#FF0000" } });

        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(Fields(problem), Is.EqualTo(new[] { "task" }));
        Assert.That(Messages(problem), Does.Contain(ModelCatalog.FastUpscale).And.Contain(ModelCatalog.CreativeUpscale));
        Assert.That(colorStatus, Is.EqualTo(HttpStatusCode.BadRequest), "no Active model runs color-guided, so the model must be named");
        Assert.That(Fields(colorProblem), Is.EqualTo(new[] { "model" }));
        Assert.That(Messages(colorProblem), Does.Contain(ModelCatalog.NovaCanvas));
    }

    [Test]
    public async Task An_expired_or_unknown_upload_is_refused_as_not_found()
    {
        var stack = await TestStack.GetAsync();
        using var api = new ApiCalls(stack);
        var image = await Uploads.UploadAsync(api, TestImages.Scene(256, 256));
        // What the bucket's expiry rule does to an old upload.
        var s3 = stack.Services.GetRequiredService<IAmazonS3>();
        var listed = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = stack.Options.UploadsBucketName });
        await s3.DeleteObjectAsync(stack.Options.UploadsBucketName, listed.S3Objects.Single(o => o.Key.EndsWith(image, StringComparison.Ordinal)).Key);

        var (status, problem) = await SubmitAsync(api, new { task = "erase", image });
        var (neverStatus, neverProblem) = await SubmitAsync(api, new { task = "erase", image = Guid.NewGuid().ToString("N") });
        var (badStatus, badProblem) = await SubmitAsync(api, new { task = "erase", image = "../../images/secret.png" });

        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(Messages(problem), Does.Contain("was not found"));
        Assert.That(neverStatus, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(Fields(neverProblem), Is.EqualTo(new[] { "image" }));
        Assert.That(badStatus, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(Messages(badProblem), Does.Contain("32 hexadecimal"), "an id is never a path");
    }

    [Test]
    public async Task The_upload_form_bounds_the_size_and_a_larger_object_is_refused_by_the_producer_too()
    {
        var stack = await TestStack.GetAsync();
        using var api = new ApiCalls(stack);
        var limit = stack.ProducerServices.GetRequiredService<UploadOptions>().MaxBytes;

        var (id, form) = await Uploads.CreateAsync(api);
        var policy = JsonNode.Parse(Convert.FromBase64String(form["fields"]!["Policy"]!.GetValue<string>()))!;
        var conditions = policy["conditions"]!.AsArray().Select(c => c!.ToJsonString()).ToList();
        // S3 refuses a POST whose file is outside this range (EntityTooLarge) before storing anything.
        Assert.That(conditions, Does.Contain($"[\"content-length-range\",1,{limit}]"));
        Assert.That(conditions, Does.Contain("{\"Content-Type\":\"image/png\"}"));
        Assert.That(conditions.Any(c => c.Contains("\"key\"", StringComparison.Ordinal) && c.EndsWith(id + "\"}", StringComparison.Ordinal)), Is.True, "the key is fixed");

        // The local S3 does not check policies, so the object lands; the producer still refuses it.
        var big = new byte[limit + 1];
        TestImages.Scene(64, 64).CopyTo(big, 0);
        using (var posted = await Uploads.PostFormAsync(form, big, "image/png"))
        {
            Assert.That((int)posted.StatusCode, Is.InRange(200, 204));
        }

        var (status, problem) = await SubmitAsync(api, new { task = "erase", image = id });
        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(Messages(problem), Does.Contain($"the limit is {limit}"));
    }

    [Test]
    public async Task Parameters_out_of_range_or_not_taken_are_each_named()
    {
        var stack = await TestStack.GetAsync();
        using var api = new ApiCalls(stack);
        var image = await Uploads.UploadAsync(api, TestImages.Scene(256, 256));

        var (status, problem) = await SubmitAsync(api, new { task = "inpaint", prompt = "a hat", image, growMask = 25, searchPrompt = "cup", colour = "red" });
        var (upscaleStatus, upscaleProblem) = await SubmitAsync(api, new { task = "upscale", prompt = "sharper", seed = 3, image });

        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(Fields(problem), Is.EquivalentTo(new[] { "growMask", "searchPrompt", "colour" }));
        Assert.That(Messages(problem), Does.Contain("whole number from 0 to 20").And.Contain("is not taken by inpaint").And.Contain("is not a field of a job request"));
        Assert.That(upscaleStatus, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(Fields(upscaleProblem), Is.EquivalentTo(new[] { "prompt", "seed" }), "Fast Upscale takes neither");
    }

    [Test]
    public async Task A_variation_of_three_images_sends_all_three_and_keeps_their_hashes()
    {
        var stack = await TestStack.GetAsync();
        using var api = new ApiCalls(stack);
        var images = new List<string>();
        foreach (var side in new[] { 512, 576, 640 })
        {
            images.Add(await Uploads.UploadAsync(api, TestImages.Scene(side, side)));
        }

        var (status, accepted) = await SubmitAsync(api, new { task = "variation", model = ModelCatalog.NovaCanvas, prompt = "in autumn", images, similarityStrength = 0.8, count = 2 });
        var (titanStatus, titanProblem) = await SubmitAsync(api, new { task = "variation", model = ModelCatalog.TitanV1, images });

        Assert.That(status, Is.EqualTo(HttpStatusCode.Accepted), accepted.ToJsonString());
        var done = await api.WaitForFinalAsync(accepted["id"]!.GetValue<string>());
        Assert.That(done.Status, Is.EqualTo(JobStatus.Succeeded), done.Error?.Message);
        Assert.That(done.Images, Has.Count.EqualTo(2));
        Assert.That(done.Inputs!.Select(i => (i.Name, i.UploadId, i.Width)), Is.EqualTo(images.Select((id, i) => ("images", id, 512 + (64 * i)))));
        Assert.That(done.Inputs!.Select(i => i.Sha256).Distinct().Count(), Is.EqualTo(3));
        Assert.That(done.Parameters, Is.EqualTo(new Dictionary<string, string> { ["similarityStrength"] = "0.8" }));
        Assert.That(titanStatus, Is.EqualTo(HttpStatusCode.BadRequest), "Titan v1 varies one image");
        Assert.That(Fields(titanProblem), Is.EqualTo(new[] { "images" }));
    }

    [Test]
    public async Task An_input_gone_or_changed_after_acceptance_fails_the_job_without_a_Bedrock_call()
    {
        var stack = await TestStack.GetAsync();
        var s3 = stack.Services.GetRequiredService<IAmazonS3>();
        var options = stack.ConsumerServices.GetRequiredService<UploadOptions>();
        var loader = new InputImageLoader(new S3UploadStore(s3, options), options);
        var key = $"uploads/test/{Guid.NewGuid():N}";
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = options.BucketName, Key = key, InputStream = new MemoryStream(TestImages.Scene(64, 64)) });
        var request = new JobRequest { Prompt = "p", Model = ModelCatalog.Inpaint, Task = "inpaint", Inputs = [new JobInput("image", "u") { Key = key, Sha256 = new string('0', 64) }] };

        var changed = Assert.ThrowsAsync<ImageGenerationException>(() => loader.LoadAsync(request, CancellationToken.None));
        await s3.DeleteObjectAsync(options.BucketName, key);
        var gone = Assert.ThrowsAsync<ImageGenerationException>(() => loader.LoadAsync(request, CancellationToken.None));

        Assert.That(changed!.Error.Code, Is.EqualTo(JobErrorCodes.InputUnavailable));
        Assert.That(changed.Error.Message, Does.Contain("changed"));
        Assert.That(changed.IsRetryable, Is.False);
        Assert.That(gone!.Error.Code, Is.EqualTo(JobErrorCodes.InputUnavailable));
        Assert.That(gone.Error.Message, Does.Contain("gone"));
    }
}
