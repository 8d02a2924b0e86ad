using System.Text.Json;
using Jobs.Shared.Images;
using Jobs.Shared.Jobs;
using Jobs.Shared.Models;
using Jobs.Shared.Models.Tasks;
using Jobs.Tests.Support;

namespace Jobs.Tests.Editing;

/// <summary>
/// Every task on every model that offers it, end to end on the local stack: upload the inputs,
/// submit, let the consumer build the family's body and the fake Bedrock check it, then read the
/// image and see that it was derived from the right input by the right task.
/// </summary>
public sealed class ImageTaskTests
{
    private const string Prompt = "a red sports car";

    private static IEnumerable<TestCaseData> Offers() =>
        ModelCatalog.Default.Models.SelectMany(m => m.Tasks.Keys.Select(t => new TestCaseData(m.Id, t).SetName($"{t} on {m.Id}")));

    [TestCaseSource(nameof(Offers))]
    public async Task Runs_and_answers_with_an_image_derived_from_its_input(string modelId, string task)
    {
        var stack = await TestStack.GetAsync();
        using var api = new ApiCalls(stack);
        ModelCatalog.Default.TryGet(modelId, out var model);
        var offer = model!.Tasks[task];
        const int side = 512;
        var scene = TestImages.Scene(side, side);
        var fields = new Dictionary<string, object> { ["task"] = task, ["model"] = modelId };
        if (offer.Prompt != PromptUse.None)
        {
            fields["prompt"] = Prompt;
        }

        foreach (var input in offer.Inputs.Where(i => i.Required || i.IsMask))
        {
            var bytes = input.IsMask ? TestImages.Mask(side, side, outside: task == ImageTasks.Outpaint) : scene;
            var id = await Uploads.UploadAsync(api, bytes);
            fields[input.Name] = input.MaxImages > 1 || input.Name == "images" ? new[] { id } : id;
        }

        foreach (var parameter in offer.Parameters.Where(p => p.Required))
        {
            fields[parameter.Name] = parameter.Kind switch
            {
                TaskParameterKind.Text => "the yellow square",
                TaskParameterKind.Colors => new[] { "#FF0000", "#00FF00" },
                _ => 0.5,
            };
        }

        if (offer.AnyNonZeroOf is { } sides)
        {
            fields[sides[0]] = 64;
        }

        using var response = await api.PostJsonAsync("jobs", JsonSerializer.Serialize(fields));
        var accepted = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(202), accepted);
        var id2 = JsonDocument.Parse(accepted).RootElement.GetProperty("id").GetString()!;
        var done = await api.WaitForFinalAsync(id2);

        Assert.That(done.Status, Is.EqualTo(JobStatus.Succeeded), done.Error?.Message);
        Assert.That(done.Task, Is.EqualTo(task));
        if (task != ImageTasks.ColorGuided)
        {
            Assert.That(done.Inputs, Is.Not.Null.And.Not.Empty);
            Assert.That(done.Inputs!.Select(i => i.Sha256), Has.All.Length.EqualTo(64), "each input keeps its hash");
        }

        using var http = new HttpClient();
        var png = await http.GetByteArrayAsync(done.Images[0].Url);
        var image = PngDecoder.TryDecode(png);
        Assert.That(image, Is.Not.Null, "a PNG");
        var corner = TestImages.At(image!, 5, 5);
        var middle = TestImages.At(image!, image!.Width / 2, image.Height / 2);
        var (br, bg, bb) = TestImages.Background;
        var (sr, sg, sb) = TestImages.Subject;
        switch (task)
        {
            case ImageTasks.Upscale:
                var factor = modelId == ModelCatalog.FastUpscale ? 4 : 2;
                Assert.That((image.Width, image.Height), Is.EqualTo((side * factor, side * factor)), "scaled up");
                Assert.That(middle, Is.EqualTo((sr, sg, sb, (byte)255)));
                break;
            case ImageTasks.RemoveBackground:
                Assert.That(corner.A, Is.Zero, "the background is transparent");
                Assert.That(middle, Is.EqualTo((sr, sg, sb, (byte)255)), "the subject is kept");
                break;
            case ImageTasks.Outpaint when model.Family == ModelFamily.StabilityEdit:
                Assert.That((image.Width, image.Height), Is.EqualTo((side + 64, side)), "64 pixels added on the left");
                Assert.That(TestImages.At(image, 10, 10), Is.Not.EqualTo((br, bg, bb, (byte)255)), "the new strip is painted");
                Assert.That(TestImages.At(image, 64 + 5, 5), Is.EqualTo((br, bg, bb, (byte)255)), "the original sits to its right");
                break;
            case ImageTasks.Outpaint:
                Assert.That(corner, Is.Not.EqualTo((br, bg, bb, (byte)255)), "outside the kept middle is regenerated");
                Assert.That(middle, Is.EqualTo((sr, sg, sb, (byte)255)), "the kept middle is untouched");
                break;
            case ImageTasks.Inpaint or ImageTasks.Erase or ImageTasks.SearchReplace or ImageTasks.Recolor:
                Assert.That(corner, Is.EqualTo((br, bg, bb, (byte)255)), "outside the mask is untouched (a mask read the wrong way round fails here)");
                Assert.That(middle, Is.Not.EqualTo((sr, sg, sb, (byte)255)), "inside the mask is changed");
                break;
            case ImageTasks.ColorGuided:
                Assert.That((image.Width, image.Height), Is.EqualTo((1024, 1024)), "the model's default size");
                break;
            default:
                Assert.That((image.Width, image.Height), Is.EqualTo((side, side)), "the output follows the input's size");
                Assert.That(corner, Is.Not.EqualTo((br, bg, bb, (byte)255)), "guided by the prompt, not a copy");
                break;
        }
    }
}
