using Jobs.Shared.Requests;
using System.Collections.Concurrent;
using System.Diagnostics;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Jobs.Local.Hosting;
using Jobs.Producer.Jobs;
using Jobs.Shared.Jobs;
using Jobs.Shared.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Jobs.Local.Bench;

/// <summary>Submitting a scenario's jobs through the HTTP API and waiting for all of them to finish.</summary>
internal static class BenchJobs
{
    /// <summary>A prompt of its own per job (the fake Bedrock paints each), no seed: nothing is cached.</summary>
    public static JobSubmission Submission(string scenario, int index) => new() { Prompt = $"{scenario} job {index} {Guid.NewGuid():N}" };

    /// <summary>Submits <paramref name="count"/> jobs, <paramref name="parallel"/> requests at a time; returns their ids and each request's latency.</summary>
    public static async Task<(IReadOnlyList<string> Ids, IReadOnlyList<double> LatenciesMs)> SubmitAsync(
        BenchStack bench, string scenario, int count, int parallel, CancellationToken cancellationToken)
    {
        var ids = new ConcurrentBag<string>();
        var latencies = new ConcurrentBag<double>();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = parallel, CancellationToken = cancellationToken }, async (i, token) =>
        {
            var started = Stopwatch.GetTimestamp();
            var (job, problem) = await bench.Api.SubmitAsync(Submission(scenario, i), token).ConfigureAwait(false);
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            ids.Add(job?.Id ?? throw new InvalidOperationException($"Submitting failed: {problem?.Title} {problem?.Detail}"));
        }).ConfigureAwait(false);
        return ([.. ids], [.. latencies]);
    }

    /// <summary>
    /// Waits until <paramref name="count"/> jobs are final (counted in the listing index's final
    /// partitions, a cheap query), or the timeout passes; returns whether they all finished.
    /// The count is of every final job in the table, a bare loop's included.
    /// </summary>
    public static async Task<bool> WaitForFinalAsync(LocalStack stack, int count, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            if (await CountFinalAsync(stack, cancellationToken).ConfigureAwait(false) >= count)
            {
                return true;
            }

            await Task.Delay(250, cancellationToken).ConfigureAwait(false);
        }

        return false;
    }

    /// <summary>How many jobs in the table are final now.</summary>
    public static async Task<int> CountFinalAsync(LocalStack stack, CancellationToken cancellationToken)
    {
        var dynamo = stack.Services.GetRequiredService<IAmazonDynamoDB>();
        var finished = 0;
        foreach (var status in new[] { JobStatus.Succeeded, JobStatus.Failed, JobStatus.Canceled })
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
                    ExpressionAttributeValues = new() { [":listed"] = new AttributeValue(JobTable.ListingOf(status)) },
                    Select = Select.COUNT,
                    ExclusiveStartKey = start,
                }, cancellationToken).ConfigureAwait(false);
                finished += page.Count ?? 0;
                start = page.LastEvaluatedKey is { Count: > 0 } last ? last : null;
            }
            while (start is not null);
        }

        return finished;
    }

    /// <summary>Each job as its item now is (read consistently).</summary>
    public static async Task<IReadOnlyList<Job>> ReadAsync(LocalStack stack, IEnumerable<string> ids, CancellationToken cancellationToken)
    {
        var store = stack.Services.GetRequiredService<IJobStore>();
        var jobs = new List<Job>();
        foreach (var id in ids)
        {
            jobs.Add(await store.GetAsync(id, cancellationToken).ConfigureAwait(false) ?? throw new InvalidOperationException($"Job {id} is gone."));
        }

        return jobs;
    }
}
