using Jobs.Shared.Requests;
using System.CommandLine;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.SQS;
using Jobs.Local.Cli;
using Jobs.Producer;
using Jobs.Producer.Api;
using Jobs.Producer.Jobs;
using Jobs.Shared.Jobs;
using Spectre.Console;

namespace Jobs.Local.Client;

/// <summary>
/// <c>Local jobs …</c>: a command-line client of the HTTP API, the local stack's by default or any
/// deployment's (<c>--api</c>, signed with SigV4 for API Gateway). Human output by default,
/// <c>--json</c> for scripts, and exit codes a script can branch on (<see cref="ClientExitCodes"/>).
/// </summary>
public static class JobsClientCommand
{
    private const int WaitPerRequestSeconds = 20;

    public static Command Build()
    {
        var api = new Option<string>("--api")
        {
            Description = "The API's base URL (default $JOBS_API_URL, else the local stack at " + ApiConnection.DefaultApi + ").",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("JOBS_API_URL") ?? ApiConnection.DefaultApi,
            Recursive = true,
        };
        var json = new Option<bool>("--json") { Description = "Write JSON (the API's own shapes) instead of text.", Recursive = true };
        var sign = new Option<bool?>("--sign") { Description = "Sign requests with SigV4 (default: only for an execute-api URL).", Recursive = true };
        var region = new Option<string?>("--region") { Description = "Region to sign for (default: from the URL, else $AWS_REGION).", Recursive = true };
        var command = new Command("jobs", "A client of the Jobs API: submit, edit, get, list, cancel, watch, notices, batch, batch-template.") { api, json, sign, region };
        var common = new Common(api, json, sign, region);
        command.Subcommands.Add(Submit(common));
        command.Subcommands.Add(Get(common));
        command.Subcommands.Add(List(common));
        command.Subcommands.Add(Cancel(common));
        command.Subcommands.Add(Watch(common));
        command.Subcommands.Add(Notices(json));
        command.Subcommands.Add(EditCommand.Build(common.RunAsync, FollowAsync, Refused));
        command.Subcommands.Add(BatchCommands.Batch(common.RunAsync));
        command.Subcommands.Add(BatchCommands.Template());
        return command;
    }

    private static Command Submit(Common common)
    {
        var prompt = new Argument<string>("prompt") { Description = "What to draw." };
        var model = new Option<string?>("--model") { Description = "Model id (default: the catalog's default)." };
        var aspectRatio = new Option<string?>("--aspect-ratio") { Description = "Aspect ratio such as 1:1 or 16:9." };
        var seed = new Option<long?>("--seed") { Description = "Seed; the same prompt and seed give the same image." };
        var key = new Option<string?>("--idempotency-key") { Description = "Sent as Idempotency-Key: a retry with the same key returns the same job." };
        var wait = new Option<bool>("--wait") { Description = "Wait until the job is final; exit 0 only if it succeeded." };
        var output = new Option<FileInfo?>("--out") { Description = "Write the image here (implies --wait)." };
        var command = new Command("submit", "Submit a prompt; prints the job id.") { prompt, model, aspectRatio, seed, key, wait, output };
        command.SetAction((parse, token) => common.RunAsync(parse, token, async (client, print, cancellationToken) =>
        {
            var submission = new JobSubmission { Prompt = parse.GetValue(prompt), Model = parse.GetValue(model), AspectRatio = parse.GetValue(aspectRatio), Seed = parse.GetValue(seed) };
            var (job, problem) = await client.SubmitAsync(submission, cancellationToken, parse.GetValue(key)).ConfigureAwait(false);
            if (job is null)
            {
                return Refused(problem);
            }

            var file = parse.GetValue(output);
            if (!parse.GetValue(wait) && file is null)
            {
                print.Job(job, brief: true);
                return ClientExitCodes.Ok;
            }

            return await FollowAsync(client, print, job, file, cancellationToken).ConfigureAwait(false);
        }));
        return command;
    }

    private static Command Get(Common common)
    {
        var id = new Argument<string>("id") { Description = "The job id." };
        var command = new Command("get", "Show one job.") { id };
        command.SetAction((parse, token) => common.RunAsync(parse, token, async (client, print, cancellationToken) =>
        {
            var (job, problem) = await client.GetAsync(parse.GetValue(id)!, cancellationToken).ConfigureAwait(false);
            if (job is null)
            {
                return Refused(problem);
            }

            print.Job(job, brief: false);
            return ClientExitCodes.Ok;
        }));
        return command;
    }

    private static Command List(Common common)
    {
        var status = new Option<string>("--status") { Description = "queued, running, succeeded, failed or canceled.", DefaultValueFactory = _ => "succeeded" };
        var limit = new Option<int>("--limit") { Description = "Jobs per page (1-100).", DefaultValueFactory = _ => 20 };
        var cursor = new Option<string?>("--cursor") { Description = "The nextCursor of the page before." };
        var command = new Command("list", "List jobs in one status, newest first.") { status, limit, cursor };
        command.SetAction((parse, token) => common.RunAsync(parse, token, async (client, print, cancellationToken) =>
        {
            var (page, problem) = await client.ListAsync(parse.GetValue(status)!, parse.GetValue(limit), parse.GetValue(cursor), cancellationToken).ConfigureAwait(false);
            if (page is null)
            {
                return Refused(problem);
            }

            print.Page(page);
            return ClientExitCodes.Ok;
        }));
        return command;
    }

    private static Command Cancel(Common common)
    {
        var id = new Argument<string>("id") { Description = "The job id." };
        var command = new Command("cancel", "Cancel a job (a running one stops when its worker sees the request).") { id };
        command.SetAction((parse, token) => common.RunAsync(parse, token, async (client, print, cancellationToken) =>
        {
            var (job, problem) = await client.CancelAsync(parse.GetValue(id)!, cancellationToken).ConfigureAwait(false);
            if (job is null)
            {
                return Refused(problem);
            }

            print.Job(job, brief: true);
            return ClientExitCodes.Ok;
        }));
        return command;
    }

    private static Command Watch(Common common)
    {
        var id = new Argument<string>("id") { Description = "The job id." };
        var output = new Option<FileInfo?>("--out") { Description = "Write the image here once it succeeded." };
        var command = new Command("watch", "Follow a job until it is final; exit 0 only if it succeeded.") { id, output };
        command.SetAction((parse, token) => common.RunAsync(parse, token, async (client, print, cancellationToken) =>
        {
            var (job, problem) = await client.GetAsync(parse.GetValue(id)!, cancellationToken).ConfigureAwait(false);
            return job is null ? Refused(problem) : await FollowAsync(client, print, job, parse.GetValue(output), cancellationToken).ConfigureAwait(false);
        }));
        return command;
    }

    private static Command Notices(Option<bool> json)
    {
        var queue = new Option<string?>("--queue-url")
        {
            Description = "An SQS queue subscribed to the topic (default $JOBS_INBOX_QUEUE_URL; the local stack prints its own).",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("JOBS_INBOX_QUEUE_URL"),
        };
        var seconds = new Option<int>("--seconds") { Description = "How long to read for.", DefaultValueFactory = _ => 5 };
        var command = new Command("notices", "Read (and remove) the notices waiting on a subscribed queue.") { queue, seconds };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (parse.GetValue(queue) is not { } url || !Uri.TryCreate(url, UriKind.Absolute, out var queueUri))
            {
                await Console.Error.WriteLineAsync("Give the queue with --queue-url (or JOBS_INBOX_QUEUE_URL).").ConfigureAwait(false);
                return ClientExitCodes.Refused;
            }

            // A local queue's own host is its endpoint; an AWS queue URL finds its endpoint from the Region.
            var config = queueUri.Host.EndsWith(".amazonaws.com", StringComparison.Ordinal)
                ? new AmazonSQSConfig()
                : new AmazonSQSConfig { ServiceURL = $"{queueUri.Scheme}://{LoopbackFor(queueUri.Host)}:{queueUri.Port}", AuthenticationRegion = Environment.GetEnvironmentVariable("AWS_REGION") ?? "us-east-1" };
            using var sqs = queueUri.Host.EndsWith(".amazonaws.com", StringComparison.Ordinal)
                ? new AmazonSQSClient(config)
                : new AmazonSQSClient(new BasicAWSCredentials("local", "local"), config);
            var inbox = new NoticeInbox(sqs, url);
            var until = Stopwatch.StartNew();
            while (until.Elapsed < TimeSpan.FromSeconds(parse.GetValue(seconds)))
            {
                await inbox.DrainOnceAsync(cancellationToken).ConfigureAwait(false);
            }

            foreach (var notice in inbox.Received)
            {
                Console.WriteLine(parse.GetValue(json) ? notice.Notice.ToJsonString() : $"{notice.Type,-14} {notice.JobId}  {notice.Subject}");
            }

            return ClientExitCodes.Ok;
        });
        return command;
    }

    /// <summary>An emulator's <c>*.localhost</c> host names this machine, but not every resolver knows that.</summary>
    private static string LoopbackFor(string host) =>
        host == "localhost" || host.EndsWith(".localhost", StringComparison.Ordinal) ? "127.0.0.1" : host;

    /// <summary>Waits for the job with the API's own long poll, showing its status as it moves; then saves the image.</summary>
    private static async Task<int> FollowAsync(JobsApiClient client, JobOutput print, JobView job, FileInfo? file, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        JobView? final = null;
        ProblemDocument? problem = null;
        await print.WithStatusAsync($"{job.Id}: {job.Status.ToName()}", async update =>
        {
            var current = job;
            while (!current.Status.IsTerminal())
            {
                update($"{current.Id}: {current.Status.ToName()} ({clock.Elapsed.TotalSeconds:0} s)");
                var (next, refused) = await client.GetAsync(current.Id, cancellationToken, WaitPerRequestSeconds).ConfigureAwait(false);
                if (next is null)
                {
                    problem = refused;
                    return;
                }

                current = next;
            }

            final = current;
        }).ConfigureAwait(false);
        if (final is null)
        {
            return Refused(problem);
        }

        print.Job(final, brief: false);
        if (final.Status != JobStatus.Succeeded)
        {
            return ClientExitCodes.JobNotSucceeded;
        }

        if (file is not null)
        {
            var image = final.Images[0];
            var png = await client.DownloadAsync(image.Url!, cancellationToken).ConfigureAwait(false);
            if (!Convert.ToHexStringLower(SHA256.HashData(png)).Equals(image.Sha256, StringComparison.Ordinal))
            {
                await Console.Error.WriteLineAsync("The downloaded image does not match the sha256 the job recorded.").ConfigureAwait(false);
                return ClientExitCodes.Unavailable;
            }

            file.Directory?.Create();
            await File.WriteAllBytesAsync(file.FullName, png, cancellationToken).ConfigureAwait(false);
            print.Note($"Wrote {file.FullName}: {image.Width}x{image.Height}, {png.Length:N0} bytes");
        }

        return ClientExitCodes.Ok;
    }

    /// <summary>The exit code for a problem the API answered with, after saying it on stderr.</summary>
    private static int Refused(ProblemDocument? problem)
    {
        var fields = problem?.Errors is { Count: > 0 } errors ? " (" + string.Join("; ", errors.Select(e => $"{e.Field} {e.Message}")) + ")" : string.Empty;
        Console.Error.WriteLine($"{problem?.Title ?? "The API refused the request"}: {problem?.Detail}{fields}");
        return problem?.Status switch
        {
            404 => ClientExitCodes.NotFound,
            >= 400 and < 500 => ClientExitCodes.Refused,
            _ => ClientExitCodes.Unavailable,
        };
    }

    /// <summary>The options every API command shares, and how each one runs.</summary>
    private sealed record Common(Option<string> Api, Option<bool> Json, Option<bool?> Sign, Option<string?> Region)
    {
        public async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken, Func<JobsApiClient, JobOutput, CancellationToken, Task<int>> body)
        {
            try
            {
                if (!Uri.TryCreate(parse.GetValue(Api), UriKind.Absolute, out var api) || api.Scheme is not ("http" or "https"))
                {
                    await Console.Error.WriteLineAsync($"--api must be an http(s) URL (got '{parse.GetValue(Api)}').").ConfigureAwait(false);
                    return ClientExitCodes.Refused;
                }

                using var http = ApiConnection.Create(api, parse.GetValue(Sign), parse.GetValue(Region));
                return await body(new JobsApiClient(http), new JobOutput(parse.GetValue(Json)), cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException ex)
            {
                await Console.Error.WriteLineAsync($"The API at {parse.GetValue(Api)} could not be reached: {ex.Message}").ConfigureAwait(false);
                return ClientExitCodes.Unavailable;
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                await Console.Error.WriteLineAsync($"The API at {parse.GetValue(Api)} did not answer in time.").ConfigureAwait(false);
                return ClientExitCodes.Unavailable;
            }
            catch (JsonException ex)
            {
                await Console.Error.WriteLineAsync($"The API at {parse.GetValue(Api)} answered something that is not this API's JSON: {ex.Message}").ConfigureAwait(false);
                return ClientExitCodes.Unavailable;
            }
            catch (ArgumentException ex)
            {
                await Console.Error.WriteLineAsync(ex.Message).ConfigureAwait(false);
                return ClientExitCodes.Refused;
            }
        }
    }
}
