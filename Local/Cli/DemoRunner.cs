using Jobs.Shared.Requests;
using System.Diagnostics;
using System.Security.Cryptography;
using Jobs.Local.Hosting;
using Jobs.Shared.Jobs;
using Spectre.Console;
using Jobs.Producer.Jobs;

namespace Jobs.Local.Cli;

/// <summary>
/// The demo: start the stack, submit one prompt through the HTTP API, follow the job through its
/// statuses, save the PNG, and show the SNS notice that announced it.
/// </summary>
public static class DemoRunner
{
    public static async Task<int> RunAsync(JobSubmission submission, FileInfo output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(submission);
        ArgumentNullException.ThrowIfNull(output);
        var progress = new SpectreProgress();
        await using var stack = await LocalStack.StartAsync(new LocalStackOptions(), progress, cancellationToken).ConfigureAwait(false);
        using var http = new HttpClient { BaseAddress = stack.Api.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        var api = new JobsApiClient(http);

        progress.Report($"POST {stack.Api.BaseAddress}jobs");
        var (job, problem) = await api.SubmitAsync(submission, cancellationToken).ConfigureAwait(false);
        if (job is null)
        {
            return Fail($"The API refused the request: {problem?.Title}: {problem?.Detail}");
        }

        AnsiConsole.MarkupLine($"Job [bold]{job.Id}[/] accepted ({Markup.Escape(job.Model)}, {Markup.Escape(job.AspectRatio ?? "")})");
        var clock = Stopwatch.StartNew();
        var seen = (JobStatus?)null;
        while (!job.Status.IsTerminal())
        {
            if (job.Status != seen)
            {
                AnsiConsole.MarkupLine($"  [grey]{clock.Elapsed.TotalSeconds,6:0.00}s[/] {job.Status.ToName()}");
                seen = job.Status;
            }

            if (clock.Elapsed > TimeSpan.FromMinutes(2))
            {
                return Fail($"The job is still {job.Status.ToName()} after two minutes.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken).ConfigureAwait(false);
            var id = job.Id;
            (job, problem) = await api.GetAsync(id, cancellationToken).ConfigureAwait(false);
            if (job is null)
            {
                return Fail($"GET /jobs failed: {problem?.Detail}");
            }
        }

        AnsiConsole.MarkupLine($"  [grey]{clock.Elapsed.TotalSeconds,6:0.00}s[/] {job.Status.ToName()}");
        if (job.Status != JobStatus.Succeeded)
        {
            return Fail($"The job {job.Status.ToName()}: {job.Error?.Code} {job.Error?.Message}");
        }

        var image = job.Images[0];
        var png = await api.DownloadAsync(image.Url!, cancellationToken).ConfigureAwait(false);
        if (!Convert.ToHexStringLower(SHA256.HashData(png)).Equals(image.Sha256, StringComparison.Ordinal))
        {
            return Fail("The downloaded image does not match the sha256 the job recorded.");
        }

        if (output.Directory is { Exists: false } folder)
        {
            folder.Create();
        }

        await File.WriteAllBytesAsync(output.FullName, png, cancellationToken).ConfigureAwait(false);
        AnsiConsole.MarkupLine($"Wrote [bold]{Markup.Escape(output.FullName)}[/]: {image.Width}×{image.Height} PNG, {png.Length:N0} bytes, seed {image.Seed}");

        var inbox = new NoticeInbox(stack.Sqs, stack.InboxQueueUrl);
        var notice = await inbox.WaitForAsync(job.Id, "job.succeeded", TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
        if (notice is null)
        {
            return Fail("No job.succeeded notice arrived on the subscribed queue within 30 s.");
        }

        AnsiConsole.MarkupLine($"SNS notice received (subject \"{Markup.Escape(notice.Subject ?? "")}\", attributes {Markup.Escape(string.Join(", ", notice.Attributes.Select(a => $"{a.Key}={a.Value}")))}):");
        AnsiConsole.WriteLine(notice.PrettyNotice);
        return 0;
    }

    private static int Fail(string reason)
    {
        AnsiConsole.MarkupLine($"[red]Demo failed:[/] {Markup.Escape(reason)}");
        return 1;
    }
}
