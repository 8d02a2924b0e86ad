using Jobs.Shared.Models;
using System.Text;
using System.Globalization;
using Jobs.Shared.Jobs;

namespace Jobs.Consumer.Notices;

/// <summary>Builds the notice and email subject for a job in a final status.</summary>
public static class JobNotices
{
    public static JobNotice For(Job job, ModelLifecycle? lifecycle = null)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (!job.Status.IsTerminal())
        {
            throw new ArgumentException($"Job {job.Id} is {job.Status.ToName()}; notices are for final statuses.", nameof(job));
        }

        var type = "job." + job.Status.ToName();
        return new JobNotice
        {
            EventId = $"{job.Id}:{type}",
            Type = type,
            JobId = job.Id,
            Status = job.Status,
            Model = job.Request.Model,
            Owner = job.Owner,
            Images = job.Images.Select(i => $"s3://{i.Bucket}/{i.Key}").ToList(),
            Error = job.Status == JobStatus.Succeeded ? null : job.Error,
            Attempts = job.Attempts,
            Deferrals = job.Deferrals,
            ModelLifecycle = lifecycle,
            QueuedMs = job.StartedAt is { } first ? (long)(first - job.CreatedAt).TotalMilliseconds : null,
            CreatedAt = job.CreatedAt,
            StartedAt = job.StartedAt,
            CompletedAt = job.CompletedAt,
            TotalMs = job.CompletedAt is { } done ? (long)(done - job.CreatedAt).TotalMilliseconds : null,
            RunMs = job.CompletedAt is { } end && job.StartedAt is { } start ? (long)(end - start).TotalMilliseconds : null,
            BatchId = job.BatchId,
            ClientId = job.ClientId,
            Metadata = job.Metadata,
        };
    }

    /// <summary>
    /// The short text email subscribers read (SNS sends it in place of the JSON, which HTTPS and
    /// SQS subscribers get): what happened, to which prompt's job, and where to look.
    /// </summary>
    public static string EmailText(JobNotice notice, Uri? api)
    {
        ArgumentNullException.ThrowIfNull(notice);
        var text = new StringBuilder()
            .AppendLine(Subject(notice) + ".")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Model: {notice.Model}");
        if (notice.Error is { } error)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"Error: {error.Code}: {error.Message}");
        }

        foreach (var image in notice.Images)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"Image: {image}");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"Attempts: {notice.Attempts}, waits for capacity: {notice.Deferrals}, total {notice.TotalMs} ms.");
        if (api is not null)
        {
            text.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"The job: {new Uri(api, $"jobs/{notice.JobId}")}");
        }

        return text.ToString();
    }

    /// <summary>A subject line for email subscribers: SNS allows at most 100 printable ASCII characters.</summary>
    public static string Subject(JobNotice notice)
    {
        ArgumentNullException.ThrowIfNull(notice);
        var text = notice.Status switch
        {
            JobStatus.Succeeded => string.Create(CultureInfo.InvariantCulture, $"Image job {notice.JobId} succeeded ({notice.Images.Count} image{(notice.Images.Count == 1 ? "" : "s")})"),
            JobStatus.Failed => $"Image job {notice.JobId} failed: {notice.Error?.Code ?? "unknown"}",
            _ => $"Image job {notice.JobId} {notice.Status.ToName()}",
        };
        var ascii = new string(text.Select(c => c is >= ' ' and <= '~' ? c : '?').ToArray());
        return ascii.Length <= 100 ? ascii : ascii[..100];
    }
}
