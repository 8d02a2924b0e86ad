using System.CommandLine;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Jobs.Local.Cli;
using Jobs.Producer.Batches;
using Jobs.Shared.Batches;
using Spectre.Console;

namespace Jobs.Local.Client;

/// <summary>
/// <c>jobs batch FILE</c> submits a list of job requests (JSON Lines or a JSON array) as one batch,
/// shows its counts live, and with <c>--out DIR</c> downloads every image named by the item's id;
/// <c>jobs batch-template</c> writes a list to fill in.
/// </summary>
internal static class BatchCommands
{
    public static Command Batch(Func<ParseResult, CancellationToken, Func<JobsApiClient, JobOutput, CancellationToken, Task<int>>, Task<int>> run)
    {
        var file = new Argument<FileInfo?>("file") { Description = "The items: JSON Lines or a JSON array of job requests with optional id, metadata and output.", Arity = ArgumentArity.ZeroOrOne };
        var manifest = new Option<string?>("--manifest") { Description = "Use a manifest already in S3 instead: s3://bucket/key." };
        var output = new Option<DirectoryInfo?>("--out") { Description = "Download every image into this directory, named by the item's id (implies --wait)." };
        var wait = new Option<bool>("--wait") { Description = "Follow the batch until it ends; exit 0 only if every item succeeded." };
        var command = new Command("batch", "Submit a batch from a file (or an S3 manifest) and follow its progress.") { file, manifest, output, wait };
        command.SetAction((parse, token) => run(parse, token, async (client, print, cancellationToken) =>
        {
            var body = BodyFor(parse.GetValue(file), parse.GetValue(manifest), out var error);
            if (body is null && error.Length == 0)
            {
                // Over the inline limit: the file goes up as a manifest through POST /uploads, and the batch names it.
                var lines = ManifestLines(parse.GetValue(file)!);
                var (uploadId, refused) = await client.UploadAsync(Encoding.UTF8.GetBytes(lines), "application/x-ndjson", cancellationToken).ConfigureAwait(false);
                if (uploadId is null)
                {
                    await Console.Error.WriteLineAsync($"{refused?.Title ?? "The manifest could not be uploaded"}: {refused?.Detail}").ConfigureAwait(false);
                    return refused?.Status is >= 400 and < 500 ? ClientExitCodes.Refused : ClientExitCodes.Unavailable;
                }

                await Console.Error.WriteLineAsync($"Uploaded {parse.GetValue(file)!.Name} as manifest {uploadId}").ConfigureAwait(false);
                body = new JsonObject { ["manifest"] = new JsonObject { ["uploadId"] = uploadId } }.ToJsonString();
            }
            else if (body is null)
            {
                await Console.Error.WriteLineAsync(error).ConfigureAwait(false);
                return ClientExitCodes.Refused;
            }

            var (batch, problem) = await client.SubmitBatchAsync(body, cancellationToken).ConfigureAwait(false);
            if (batch is null)
            {
                var fields = problem?.Errors is { Count: > 0 } errors ? " (" + string.Join("; ", errors.Take(20).Select(e => $"{e.Field} {e.Message}")) + ")" : string.Empty;
                await Console.Error.WriteLineAsync($"{problem?.Title ?? "The API refused the batch"}: {problem?.Detail}{fields}").ConfigureAwait(false);
                return problem?.Status is >= 400 and < 500 ? ClientExitCodes.Refused : ClientExitCodes.Unavailable;
            }

            var directory = parse.GetValue(output);
            if (!parse.GetValue(wait) && directory is null)
            {
                Console.WriteLine(batch.Id);
                return ClientExitCodes.Ok;
            }

            batch = await FollowAsync(client, batch, cancellationToken).ConfigureAwait(false);
            if (directory is not null)
            {
                await DownloadAsync(client, batch, directory, cancellationToken).ConfigureAwait(false);
            }

            Console.WriteLine(JsonSerializer.Serialize(batch.Counts, Producer.ProducerJsonContext.Default.BatchCounts));
            return batch.Status == BatchStatus.Completed && batch.Counts.Succeeded == batch.Total ? ClientExitCodes.Ok : ClientExitCodes.JobNotSucceeded;
        }));
        return command;
    }

    public static Command Template()
    {
        var count = new Option<int>("--count") { Description = "How many items.", DefaultValueFactory = _ => 10 };
        var metadata = new Option<string[]>("--metadata") { Description = "A metadata entry every item gets, name=value (repeatable).", AllowMultipleArgumentsPerToken = false };
        var model = new Option<string?>("--model") { Description = "The model every item names." };
        var output = new Option<FileInfo?>("--out") { Description = "Write here instead of stdout." };
        var command = new Command("batch-template", "Write a JSON Lines batch to fill in: one item per line with an id, a prompt and metadata.") { count, metadata, model, output };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var entries = new JsonObject();
            foreach (var pair in parse.GetValue(metadata) ?? [])
            {
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                if (equals <= 0)
                {
                    await Console.Error.WriteLineAsync($"--metadata {pair} must be name=value.").ConfigureAwait(false);
                    return ClientExitCodes.Refused;
                }

                entries[pair[..equals]] = pair[(equals + 1)..];
            }

            var text = new StringBuilder();
            var n = parse.GetValue(count);
            var width = Math.Max(4, n.ToString(System.Globalization.CultureInfo.InvariantCulture).Length);
            for (var i = 1; i <= n; i++)
            {
                var item = new JsonObject { ["id"] = "A" + i.ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(width, '0'), ["prompt"] = "" };
                if (parse.GetValue(model) is { } m)
                {
                    item["model"] = m;
                }

                item["metadata"] = entries.DeepClone();
                text.Append(item.ToJsonString()).Append('\n');
            }

            if (parse.GetValue(output) is { } target)
            {
                await File.WriteAllTextAsync(target.FullName, text.ToString(), cancellationToken).ConfigureAwait(false);
            }
            else
            {
                Console.Write(text.ToString());
            }

            return ClientExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The request body for a file of items (inline, up to the API's limit) or an S3 manifest.</summary>
    internal static string? BodyFor(FileInfo? file, string? manifest, out string error)
    {
        error = string.Empty;
        if ((file is null) == (manifest is null))
        {
            error = "Give either a FILE of items or --manifest s3://bucket/key.";
            return null;
        }

        if (manifest is not null)
        {
            if (!Uri.TryCreate(manifest, UriKind.Absolute, out var uri) || uri.Scheme != "s3" || uri.AbsolutePath.Length <= 1)
            {
                error = $"--manifest must be s3://bucket/key (got '{manifest}').";
                return null;
            }

            return new JsonObject { ["manifest"] = new JsonObject { ["bucket"] = uri.Host, ["key"] = Uri.UnescapeDataString(uri.AbsolutePath[1..]) } }.ToJsonString();
        }

        if (!file!.Exists)
        {
            error = $"{file.FullName} does not exist.";
            return null;
        }

        var text = File.ReadAllText(file.FullName);
        var items = new JsonArray();
        try
        {
            if (text.TrimStart().StartsWith('['))
            {
                items = JsonNode.Parse(text)!.AsArray();
            }
            else
            {
                var line = 0;
                foreach (var row in text.Split('\n'))
                {
                    line++;
                    if (!string.IsNullOrWhiteSpace(row))
                    {
                        items.Add(JsonNode.Parse(row));
                    }
                }
            }
        }
        catch (JsonException ex)
        {
            error = $"{file.FullName} is not JSON Lines or a JSON array: {ex.Message}";
            return null;
        }

        if (items.Count > new BatchOptions().MaxInlineItems)
        {
            // Too many to send inline: no error, the caller uploads the file as a manifest.
            error = string.Empty;
            return null;
        }

        return new JsonObject { ["items"] = items }.ToJsonString();
    }

    /// <summary>The file's items as JSON Lines, one compact item per line, whichever of the two forms it was written in.</summary>
    internal static string ManifestLines(FileInfo file)
    {
        var text = File.ReadAllText(file.FullName);
        var trimmed = text.TrimStart();
        var items = trimmed.StartsWith('[')
            ? JsonNode.Parse(trimmed)!.AsArray().Select(i => i!.ToJsonString())
            : text.Split('\n').Where(l => !string.IsNullOrWhiteSpace(l)).Select(l => JsonNode.Parse(l)!.ToJsonString());
        return string.Join('\n', items) + "\n";
    }

    private static async Task<BatchView> FollowAsync(JobsApiClient client, BatchView batch, CancellationToken cancellationToken)
    {
        var interactive = !Console.IsOutputRedirected;
        if (!interactive)
        {
            while (batch.ResultsUrl is null)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
                batch = (await client.GetBatchAsync(batch.Id, cancellationToken).ConfigureAwait(false)).Batch ?? batch;
            }

            return batch;
        }

        await AnsiConsole.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var bar = context.AddTask($"batch {batch.Id}", maxValue: Math.Max(1, batch.Total ?? 1));
                while (batch.ResultsUrl is null)
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
                    batch = (await client.GetBatchAsync(batch.Id, cancellationToken).ConfigureAwait(false)).Batch ?? batch;
                    var c = batch.Counts;
                    bar.MaxValue = Math.Max(1, batch.Total ?? 1);
                    bar.Value = c.Succeeded + c.Failed + c.Canceled + c.Invalid + c.Skipped;
                    bar.Description = $"{batch.Status.ToString().ToLowerInvariant()}: {c.Succeeded} ok, {c.Failed} failed, {c.Pending} pending";
                }
            }).ConfigureAwait(false);
        return batch;
    }

    /// <summary>Each succeeded item's images into the directory, named by the item's id (or its index), through the job's presigned links.</summary>
    private static async Task DownloadAsync(JobsApiClient client, BatchView batch, DirectoryInfo directory, CancellationToken cancellationToken)
    {
        directory.Create();
        var results = (await client.GetTextAsync(batch.ResultsUrl!, cancellationToken).ConfigureAwait(false))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonSerializer.Deserialize(l, BatchJsonContext.Default.BatchResultLine)!);
        foreach (var line in results.Where(l => l.Status == "succeeded" && l.JobId is not null))
        {
            var (job, _) = await client.GetAsync(line.JobId!, cancellationToken).ConfigureAwait(false);
            var images = job?.Images ?? [];
            for (var i = 0; i < images.Count; i++)
            {
                var name = (line.Id ?? line.Index.ToString(System.Globalization.CultureInfo.InvariantCulture)) + (i == 0 ? string.Empty : $"-{i + 1}") + ".png";
                await File.WriteAllBytesAsync(Path.Combine(directory.FullName, name), await client.DownloadAsync(images[i].Url!, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
