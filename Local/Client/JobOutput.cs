using System.Text.Json;
using Jobs.Producer;
using Jobs.Producer.Jobs;
using Jobs.Shared.Jobs;
using Spectre.Console;

namespace Jobs.Local.Client;

/// <summary>
/// How the client writes: the API's own JSON, one document per line, for scripts; or short text
/// for people, with a live status line while it waits (only on a terminal: a pipe gets no spinner).
/// </summary>
public sealed class JobOutput(bool json)
{
    public void Job(JobView job, bool brief)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(job, ProducerJsonContext.Default.JobView));
            return;
        }

        if (brief)
        {
            Console.WriteLine($"{job.Id} {job.Status.ToName()}");
            return;
        }

        Console.WriteLine($"{job.Id} {job.Status.ToName()}  {job.Model}  \"{job.Prompt}\"");
        if (job.Error is { } error)
        {
            Console.WriteLine($"  error {error.Code}: {error.Message}");
        }

        foreach (var image in job.Images)
        {
            Console.WriteLine($"  image {image.Width}x{image.Height} seed {image.Seed} sha256 {image.Sha256}");
            Console.WriteLine($"    {image.Url}");
        }

        Console.WriteLine($"  attempts {job.Metrics.Attempts}, deferrals {job.Metrics.Deferrals}, queued {job.Metrics.QueuedMs} ms, generating {job.Metrics.GenerateMs} ms");
    }

    public void Page(JobListView page)
    {
        ArgumentNullException.ThrowIfNull(page);
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(page, ProducerJsonContext.Default.JobListView));
            return;
        }

        foreach (var job in page.Items)
        {
            Console.WriteLine($"{job.Id} {job.Status.ToName(),-9} {job.CreatedAt:u}  {job.Model}  {job.Prompt}");
        }

        if (page.NextCursor is { } cursor)
        {
            Console.WriteLine($"more: --cursor {cursor}");
        }
    }

    public void Note(string text)
    {
        if (!json)
        {
            Console.WriteLine(text);
        }
    }

    /// <summary>Runs <paramref name="work"/> with a status line it can update (shown only to a person at a terminal).</summary>
    public async Task WithStatusAsync(string initial, Func<Action<string>, Task> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (json || Console.IsOutputRedirected)
        {
            await work(_ => { }).ConfigureAwait(false);
            return;
        }

        await AnsiConsole.Status().StartAsync(Markup.Escape(initial), context => work(text => context.Status(Markup.Escape(text)))).ConfigureAwait(false);
    }
}
