using System.CommandLine;
using System.Text.Json;
using Jobs.Local.Cli;
using Jobs.Shared.Images;
using Jobs.Shared.Requests;

namespace Jobs.Local.Client;

/// <summary>
/// <c>jobs edit</c>: uploads the input images, submits a task that reads them, waits and downloads,
/// so an edit is one command: <c>jobs edit --task inpaint --image photo.png --mask mask.png "a red sports car" --out out.png</c>.
/// </summary>
internal static class EditCommand
{
    public static Command Build(Func<ParseResult, CancellationToken, Func<JobsApiClient, JobOutput, CancellationToken, Task<int>>, Task<int>> run, Func<JobsApiClient, JobOutput, Producer.Jobs.JobView, FileInfo?, CancellationToken, Task<int>> follow, Func<Producer.Api.ProblemDocument?, int> refused)
    {
        var prompt = new Argument<string?>("prompt") { Description = "What to paint (not every task takes one).", Arity = ArgumentArity.ZeroOrOne };
        var task = new Option<string>("--task") { Description = "inpaint, outpaint, erase, remove-background, search-replace, recolor, upscale, variation, image-to-image, sketch, structure, style-guide, style-transfer, color-guided.", Required = true };
        var image = new Option<FileInfo[]>("--image") { Description = "The input image (PNG, JPEG or WEBP); give it up to five times for a variation.", AllowMultipleArgumentsPerToken = false };
        var mask = new Option<FileInfo?>("--mask") { Description = "A PNG mask: white where the image should change, black where it stays." };
        var styleImage = new Option<FileInfo?>("--style-image") { Description = "Style transfer's style image." };
        var referenceImage = new Option<FileInfo?>("--reference-image") { Description = "Color-guided generation's reference image." };
        var model = new Option<string?>("--model") { Description = "Model id (default: the task's Active model; GET /models lists who runs what)." };
        var seed = new Option<long?>("--seed") { Description = "Seed, where the task takes one." };
        var parameters = new Option<string[]>("--param") { Description = "A task parameter as name=value (growMask=8, searchPrompt=\"a cup\", colors=[\"#FF0000\"]); repeatable." };
        var output = new Option<FileInfo?>("--out") { Description = "Write the image here." };
        var command = new Command("edit", "Upload images, run a task on them, wait, and download the result.") { prompt, task, image, mask, styleImage, referenceImage, model, seed, parameters, output };
        command.SetAction((parse, token) => run(parse, token, async (client, print, cancellationToken) =>
        {
            var extra = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (var pair in parse.GetValue(parameters) ?? [])
            {
                var split = pair.IndexOf('=', StringComparison.Ordinal);
                if (split <= 0)
                {
                    await Console.Error.WriteLineAsync($"--param {pair}: write name=value.").ConfigureAwait(false);
                    return ClientExitCodes.Refused;
                }

                extra[pair[..split]] = ParseValue(pair[(split + 1)..]);
            }

            async Task<string?> UploadAsync(FileInfo? file)
            {
                if (file is null)
                {
                    return null;
                }

                var bytes = await File.ReadAllBytesAsync(file.FullName, cancellationToken).ConfigureAwait(false);
                // The content type from the bytes, as the service itself reads them.
                var contentType = ImageHeader.TryRead(bytes, out var header) ? ImageFormats.ContentType(header.Format) : "image/png";
                var (id, problem) = await client.UploadAsync(bytes, contentType, cancellationToken).ConfigureAwait(false);
                if (id is null)
                {
                    throw new UploadRefusedException(refused(problem));
                }

                print.Note($"Uploaded {file.Name} as {id}");
                return id;
            }

            try
            {
                var images = new List<string>();
                foreach (var file in parse.GetValue(image) ?? [])
                {
                    images.Add((await UploadAsync(file).ConfigureAwait(false))!);
                }

                var taskName = parse.GetValue(task)!;
                var submission = new JobSubmission
                {
                    Task = taskName,
                    Prompt = parse.GetValue(prompt),
                    Model = parse.GetValue(model),
                    Seed = parse.GetValue(seed),
                    Image = taskName == "variation" || images.Count == 0 ? null : images[0],
                    Images = taskName == "variation" && images.Count > 0 ? images : null,
                    Mask = await UploadAsync(parse.GetValue(mask)).ConfigureAwait(false),
                    StyleImage = await UploadAsync(parse.GetValue(styleImage)).ConfigureAwait(false),
                    ReferenceImage = await UploadAsync(parse.GetValue(referenceImage)).ConfigureAwait(false),
                    UnknownFields = extra.Count > 0 ? extra : null,
                };
                var (job, problem) = await client.SubmitAsync(submission, cancellationToken).ConfigureAwait(false);
                return job is null ? refused(problem) : await follow(client, print, job, parse.GetValue(output), cancellationToken).ConfigureAwait(false);
            }
            catch (UploadRefusedException ex)
            {
                return ex.ExitCode;
            }
        }));
        return command;
    }

    /// <summary>A value as JSON when it reads as JSON (8, 0.5, ["#FF0000"]), else as text.</summary>
    private static JsonElement ParseValue(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            using var document = JsonDocument.Parse($"\"{JsonEncodedText.Encode(text)}\"");
            return document.RootElement.Clone();
        }
    }

    private sealed class UploadRefusedException(int exitCode) : Exception
    {
        public int ExitCode { get; } = exitCode;
    }
}
