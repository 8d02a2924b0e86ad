using System.Security.Cryptography;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.SQS;
using Jobs.Consumer;
using Jobs.Consumer.Bedrock;
using Jobs.Local.Cli;
using Jobs.Local.Hosting;
using Jobs.Shared.Images;
using Jobs.Shared.Jobs;
using Jobs.Shared.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Jobs.Local.Soak;

/// <summary>What the soak found: every job as stored, and the invariants it broke.</summary>
public sealed record SoakFindings(IReadOnlyList<Job> Jobs, IReadOnlyList<string> Violations, int SecondGenerations);

/// <summary>
/// The soak's verdict, from its own reads of DynamoDB, the status index, S3, both queues and the
/// notice inbox: every job final and listed under its status; every image there with its recorded
/// hash, size and dimensions, and none for a canceled or failed job; one distinct notice per job;
/// both queues empty; no job failed by the machinery unless the faults really went that far; and a
/// second paid generation only where a worker was killed after the first.
/// </summary>
public sealed class SoakChecks(LocalStack stack, IReadOnlyList<SoakJob> soakJobs, NoticeInbox inbox, IProgress<string> progress)
{
    private readonly List<string> _violations = [];

    public async Task<SoakFindings> RunAsync(CancellationToken cancellationToken)
    {
        var store = stack.Services.GetRequiredService<IJobStore>();
        var jobs = new List<Job>();
        foreach (var soakJob in soakJobs)
        {
            if (await store.GetAsync(soakJob.Id, cancellationToken).ConfigureAwait(false) is { } job)
            {
                jobs.Add(job);
            }
            else
            {
                Violation(soakJob.Id, "the job item is gone");
            }
        }

        var byId = soakJobs.ToDictionary(j => j.Id, StringComparer.Ordinal);
        foreach (var job in jobs.Where(j => !j.Status.IsTerminal()))
        {
            Violation(job.Id, $"still {job.Status.ToName()}");
        }

        await CheckStatusIndexAsync(jobs, cancellationToken).ConfigureAwait(false);
        await CheckImagesAsync(jobs, cancellationToken).ConfigureAwait(false);
        CheckOutcomes(jobs, byId);
        var second = CheckGenerations(jobs, byId);
        await CheckNoticesAsync(jobs, cancellationToken).ConfigureAwait(false);
        await CheckQueuesEmptyAsync(cancellationToken).ConfigureAwait(false);
        return new SoakFindings(jobs, _violations, second);
    }

    /// <summary>The listing index lists each job where its item's status belongs (the index is eventually consistent: asked a few times).</summary>
    private async Task CheckStatusIndexAsync(IReadOnlyList<Job> jobs, CancellationToken cancellationToken)
    {
        var dynamo = stack.Services.GetRequiredService<IAmazonDynamoDB>();
        var listings = Enum.GetValues<JobStatus>().Select(JobTable.ListingOf).Distinct().ToList();
        Dictionary<string, string> indexed = [];
        for (var round = 0; round < 10; round++)
        {
            indexed = [];
            foreach (var listing in listings)
            {
                Dictionary<string, AttributeValue>? start = null;
                do
                {
                    var page = await dynamo.QueryAsync(new QueryRequest
                    {
                        TableName = stack.Options.TableName,
                        IndexName = JobTable.ListingIndexName,
                        KeyConditionExpression = "#listed = :listed",
                        ExpressionAttributeNames = new() { ["#listed"] = JobTable.ListedAs },
                        ExpressionAttributeValues = new() { [":listed"] = new AttributeValue(listing) },
                        ExclusiveStartKey = start,
                    }, cancellationToken).ConfigureAwait(false);
                    foreach (var item in page.Items ?? [])
                    {
                        indexed[item["jobId"].S] = item[JobTable.ListedAs].S;
                    }

                    start = page.LastEvaluatedKey is { Count: > 0 } last ? last : null;
                }
                while (start is not null);
            }

            if (jobs.All(j => indexed.TryGetValue(j.Id, out var s) && s == JobTable.ListingOf(j)))
            {
                return;
            }

            await Task.Delay(500, cancellationToken).ConfigureAwait(false);
        }

        foreach (var job in jobs.Where(j => !indexed.TryGetValue(j.Id, out var s) || s != JobTable.ListingOf(j)))
        {
            Violation(job.Id, $"the listing index lists it as {(indexed.TryGetValue(job.Id, out var s) ? s : "nothing")}, the item is {job.Status.ToName()}");
        }
    }

    private async Task CheckImagesAsync(IReadOnlyList<Job> jobs, CancellationToken cancellationToken)
    {
        var s3 = stack.Services.GetRequiredService<IAmazonS3>();
        progress.Report($"Reading the images of {jobs.Count(j => j.Status == JobStatus.Succeeded)} succeeded jobs");
        foreach (var job in jobs)
        {
            var objects = (await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = stack.Options.BucketName, Prefix = $"images/{job.Id}/" }, cancellationToken).ConfigureAwait(false)).S3Objects ?? [];
            if (job.Status != JobStatus.Succeeded)
            {
                if (objects.Count > 0)
                {
                    Violation(job.Id, $"{job.Status.ToName()} but {objects.Count} image(s) are stored");
                }

                continue;
            }

            if (job.Images.Count != job.Request.Count || objects.Count != job.Request.Count)
            {
                Violation(job.Id, $"asked for {job.Request.Count} image(s); the item records {job.Images.Count}, S3 holds {objects.Count}");
            }

            foreach (var image in job.Images)
            {
                using var stored = await s3.GetObjectAsync(image.Bucket, image.Key, cancellationToken).ConfigureAwait(false);
                using var buffer = new MemoryStream();
                await stored.ResponseStream.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
                var bytes = buffer.ToArray();
                var hash = Convert.ToHexStringLower(SHA256.HashData(bytes));
                if (hash != image.Sha256 || bytes.LongLength != image.Bytes || !PngInfo.TryReadSize(bytes, out var size) || size.Width != image.Width || size.Height != image.Height)
                {
                    Violation(job.Id, $"{image.Key} does not match its record (sha256, bytes or size)");
                }
            }
        }
    }

    /// <summary>Every final status has a cause the soak made: its cancel, its filtered prompt, or faults that really went that far.</summary>
    private void CheckOutcomes(IReadOnlyList<Job> jobs, Dictionary<string, SoakJob> byId)
    {
        var consumer = new ConsumerOptions();
        var tries = 1 + new BedrockOptions().MaxRetries;
        foreach (var job in jobs)
        {
            var soakJob = byId[job.Id];
            var ledger = stack.Bedrock.LedgerFor(soakJob.Prompt);
            var killed = soakJob.KilledDeliveries.Count;
            switch (job.Status)
            {
                case JobStatus.Canceled when !soakJob.CancelRequested:
                    Violation(job.Id, "canceled, though no client asked");
                    break;
                case JobStatus.Failed:
                    var code = job.Error?.Code;
                    var serverFailures = ledger?.FailuresOf(BedrockErrors.InternalServer, BedrockErrors.ModelTimeout, BedrockErrors.ServiceUnavailable) ?? 0;
                    var justified = code switch
                    {
                        JobErrorCodes.ContentFiltered => soakJob.Filtered,
                        // Each attempt ends in a kill, or in a passing error after every try of the pipeline failed.
                        JobErrorCodes.RetriesExhausted => killed + (serverFailures / tries) >= consumer.MaxAttempts,
                        // A message reaches the dead-letter queue only after its receives all failed.
                        JobErrorCodes.DeadLettered => killed >= stack.Options.MaxReceiveCount,
                        _ => false,
                    };
                    if (!justified)
                    {
                        Violation(job.Id, $"failed {code} ({job.Error?.Message}) after {killed} killed deliveries and {serverFailures} server errors");
                    }

                    break;
                case JobStatus.Succeeded when soakJob.Filtered:
                    Violation(job.Id, "succeeded though its output is always filtered");
                    break;
            }
        }
    }

    /// <summary>
    /// A second paid generation only where a worker holding the job was killed after the first was
    /// asked for (a call in flight when its worker dies is paid for, though its answer goes nowhere).
    /// </summary>
    private int CheckGenerations(IReadOnlyList<Job> jobs, Dictionary<string, SoakJob> byId)
    {
        var seconds = 0;
        foreach (var job in jobs)
        {
            var soakJob = byId[job.Id];
            var generations = stack.Bedrock.LedgerFor(soakJob.Prompt)?.Generations ?? [];
            for (var i = 1; i < generations.Count; i++)
            {
                seconds++;
                var (before, after) = (generations[i - 1].CalledAt, generations[i].CalledAt);
                if (!soakJob.KilledDeliveries.Any(k => k >= before && k <= after))
                {
                    Violation(job.Id, $"generated again (asked at {after:O}) though no worker holding it was killed after the first call (asked at {before:O})");
                }
            }
        }

        return seconds;
    }

    /// <summary>One distinct notice (event id) per job, of its final type; repeats of it are allowed.</summary>
    private async Task CheckNoticesAsync(IReadOnlyList<Job> jobs, CancellationToken cancellationToken)
    {
        var store = stack.Services.GetRequiredService<IJobStore>();
        for (var round = 0; round < 40 && jobs.Any(j => j.Status.IsTerminal() && !Noticed(j.Id)); round++)
        {
            await inbox.DrainOnceAsync(cancellationToken).ConfigureAwait(false);
            await Task.Delay(250, cancellationToken).ConfigureAwait(false);
        }

        await inbox.DrainOnceAsync(cancellationToken).ConfigureAwait(false);
        var received = inbox.Received.ToLookup(n => n.JobId, StringComparer.Ordinal);
        foreach (var job in jobs.Where(j => j.Status.IsTerminal()))
        {
            var notices = received[job.Id].ToList();
            var ids = notices.Select(n => n.EventId).Distinct().ToList();
            if (ids.Count != 1)
            {
                Violation(job.Id, $"{ids.Count} distinct notices ({string.Join(", ", ids)})");
            }
            else if (notices[0].Type != "job." + job.Status.ToName())
            {
                Violation(job.Id, $"its notice says {notices[0].Type}, the job is {job.Status.ToName()}");
            }

            if ((await store.GetAsync(job.Id, cancellationToken).ConfigureAwait(false))?.NotifiedAt is null)
            {
                Violation(job.Id, "no notice recorded on the item");
            }
        }

        bool Noticed(string id) => inbox.Received.Any(n => n.JobId == id);
    }

    /// <summary>Both queues empty: nothing stranded, nothing left to redo (stale copies are acknowledged when they come).</summary>
    private async Task CheckQueuesEmptyAsync(CancellationToken cancellationToken)
    {
        var sqs = stack.Services.GetRequiredService<IAmazonSQS>();
        string[] attributes = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible", "ApproximateNumberOfMessagesDelayed"];
        foreach (var (name, url) in new[] { ("jobs queue", stack.QueueUrl), ("dead-letter queue", stack.DeadLetterQueueUrl) })
        {
            var left = 0;
            for (var round = 0; round < 120; round++)
            {
                var found = (await sqs.GetQueueAttributesAsync(url, [.. attributes], cancellationToken).ConfigureAwait(false)).Attributes;
                left = attributes.Sum(a => found.TryGetValue(a, out var n) ? int.Parse(n, System.Globalization.CultureInfo.InvariantCulture) : 0);
                if (left == 0)
                {
                    break;
                }

                await Task.Delay(500, cancellationToken).ConfigureAwait(false);
            }

            if (left > 0)
            {
                _violations.Add($"the {name} still holds {left} message(s) after every job settled");
            }
        }
    }

    private void Violation(string jobId, string what) => _violations.Add($"job {jobId}: {what}");
}
