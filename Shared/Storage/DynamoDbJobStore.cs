using System.Runtime.CompilerServices;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Jobs.Shared.Jobs;
using static Jobs.Shared.Storage.JobItemMapper;

namespace Jobs.Shared.Storage;

/// <summary>
/// <see cref="IJobStore"/> on DynamoDB. Each event is one UpdateItem whose condition comes from
/// <see cref="JobTransitions"/> (see <see cref="JobConditions"/>) and whose changes are listed
/// here, so a late or duplicate worker can only lose the write, never corrupt the job. A write
/// returns the new item (no re-read), and a refused one the item that refused it.
/// </summary>
public sealed class DynamoDbJobStore(IAmazonDynamoDB dynamo, JobStoreOptions options) : IJobStore
{
    public async Task CreateAsync(Job job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        await dynamo.PutItemAsync(new PutItemRequest
        {
            TableName = options.TableName,
            Item = ToItem(job),
            ConditionExpression = "attribute_not_exists(jobId)",
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<KeyedCreate> CreateWithKeyAsync(Job job, IdempotencyRecord key, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(key);
        var request = new TransactWriteItemsRequest
        {
            TransactItems =
            [
                new() { Put = new Put { TableName = options.TableName, Item = ToItem(job), ConditionExpression = "attribute_not_exists(jobId)" } },
                new()
                {
                    Put = new Put
                    {
                        TableName = options.TableName,
                        Item = new()
                        {
                            ["jobId"] = S(IdempotencyItemKey(key.Key)),
                            ["requestHash"] = S(key.RequestHash),
                            ["keyJobId"] = S(key.JobId),
                            ["expiresAt"] = N(key.ExpiresAt.ToUnixTimeSeconds()),
                        },
                        // An expired record (TTL deletes it only eventually) gives the key up.
                        ConditionExpression = "attribute_not_exists(jobId) OR expiresAt <= :now",
                        ExpressionAttributeValues = new() { [":now"] = N(now.ToUnixTimeSeconds()) },
                    },
                },
            ],
        };

        // A transaction that meets another one on the same key is cancelled with TransactionConflict:
        // the other one may still commit, so look again after a moment, a few times.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await dynamo.TransactWriteItemsAsync(request, cancellationToken).ConfigureAwait(false);
                return KeyedCreate.Created;
            }
            catch (TransactionCanceledException ex) when (attempt < MaxKeyRaces && ex.CancellationReasons is { Count: 2 } reasons && reasons[1].Code == "ConditionalCheckFailed")
            {
                if (await FindKeyAsync(key.Key, cancellationToken).ConfigureAwait(false) is { } held)
                {
                    return KeyedCreate.Found(held);
                }
            }
            catch (TransactionCanceledException ex) when (attempt < MaxKeyRaces && ex.CancellationReasons?.Any(r => r.Code == "TransactionConflict") == true)
            {
                if (await FindKeyAsync(key.Key, cancellationToken).ConfigureAwait(false) is { } held && held.ExpiresAt > now)
                {
                    return KeyedCreate.Found(held);
                }
            }

            // The last try's cancellation is not caught: it reaches the caller as the service error it is.
            await Task.Delay(TimeSpan.FromMilliseconds(20 * attempt), cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<IdempotencyRecord?> FindKeyAsync(string key, CancellationToken cancellationToken)
    {
        var response = await dynamo.GetItemAsync(new GetItemRequest
        {
            TableName = options.TableName,
            Key = Key(IdempotencyItemKey(key)),
            ConsistentRead = true,
        }, cancellationToken).ConfigureAwait(false);
        return response.Item is { Count: > 0 } item && item.TryGetValue("keyJobId", out var jobId)
            ? new IdempotencyRecord(key, item["requestHash"].S, jobId.S, DateTimeOffset.FromUnixTimeSeconds(long.Parse(item["expiresAt"].N, System.Globalization.CultureInfo.InvariantCulture)))
            : null;
    }

    /// <summary>The record's item in the jobs table: no index sees it, the table's TTL removes it.</summary>
    private static string IdempotencyItemKey(string key) => "idem#" + key;

    public async Task<Job?> GetAsync(string jobId, CancellationToken cancellationToken)
    {
        var response = await dynamo.GetItemAsync(new GetItemRequest
        {
            TableName = options.TableName,
            Key = Key(jobId),
            ConsistentRead = true,
        }, cancellationToken).ConfigureAwait(false);
        return response.Item is { Count: > 0 } item ? FromItem(item) : null;
    }

    public Task<JobWrite> ClaimAsync(string jobId, int dispatch, DateTimeOffset leaseExpiresAt, DateTimeOffset now, CancellationToken cancellationToken) =>
        WriteAsync(
            jobId,
            JobEvent.Claim,
            "attempts = if_not_exists(attempts, :zero) + :one, startedAt = if_not_exists(startedAt, :now), leaseExpiresAt = :lease",
            // dueAt stays: the listing index projects it, and a claim that changes nothing there costs the index no write.
            null,
            new() { [":zero"] = N(0), [":one"] = N(1), [":lease"] = N(leaseExpiresAt.ToUnixTimeMilliseconds()) },
            new JobConditionValues { Dispatch = dispatch, Now = now },
            now,
            cancellationToken);

    public Task<JobWrite> CompleteAsync(string jobId, int attempt, IReadOnlyList<JobImage> images, DateTimeOffset now, CancellationToken cancellationToken) =>
        WriteAsync(
            jobId,
            JobEvent.Complete,
            "images = :images, completedAt = :now, notifiedAt = :now",
            "leaseExpiresAt, #error",
            new() { [":images"] = ToAttribute(images) },
            new JobConditionValues { Attempt = attempt },
            now,
            cancellationToken);

    public Task<JobWrite> FailAsync(string jobId, int attempt, JobError error, DateTimeOffset now, CancellationToken cancellationToken) =>
        WriteAsync(
            jobId,
            JobEvent.Fail,
            "#error = :error, completedAt = :now, notifiedAt = :now",
            "leaseExpiresAt",
            new() { [":error"] = ToAttribute(error) },
            new JobConditionValues { Attempt = attempt },
            now,
            cancellationToken);

    public Task<JobWrite> RetryAsync(string jobId, int attempt, JobError reason, DateTimeOffset dueAt, DateTimeOffset now, CancellationToken cancellationToken) =>
        WriteAsync(
            jobId,
            JobEvent.Retry,
            "#error = :error, dispatch = dispatch + :one, dueAt = :due",
            "leaseExpiresAt",
            new() { [":error"] = ToAttribute(reason), [":one"] = N(1), [":due"] = N(dueAt.ToUnixTimeMilliseconds()) },
            new JobConditionValues { Attempt = attempt },
            now,
            cancellationToken);

    public Task<JobWrite> DeferAsync(string jobId, int attempt, JobError reason, DateTimeOffset dueAt, DateTimeOffset? slotAt, DateTimeOffset now, CancellationToken cancellationToken) =>
        WriteAsync(
            jobId,
            JobEvent.Defer,
            // The claim's attempt is handed back: waiting for capacity is not a try.
            "#error = :error, dispatch = dispatch + :one, dueAt = :due, attempts = attempts - :one, deferrals = if_not_exists(deferrals, :zero) + :one"
                + (slotAt is null ? string.Empty : ", slotAt = :slot"),
            "leaseExpiresAt",
            slotAt is { } slot
                ? new() { [":error"] = ToAttribute(reason), [":one"] = N(1), [":zero"] = N(0), [":due"] = N(dueAt.ToUnixTimeMilliseconds()), [":slot"] = N(slot.ToUnixTimeMilliseconds()) }
                : new() { [":error"] = ToAttribute(reason), [":one"] = N(1), [":zero"] = N(0), [":due"] = N(dueAt.ToUnixTimeMilliseconds()) },
            new JobConditionValues { Attempt = attempt },
            now,
            cancellationToken);

    public Task<JobWrite> CancelByWorkerAsync(string jobId, int attempt, DateTimeOffset now, CancellationToken cancellationToken) =>
        WriteAsync(
            jobId,
            JobEvent.CancelByWorker,
            "completedAt = :now, notifiedAt = :now",
            "leaseExpiresAt, #error, dueAt",
            [],
            new JobConditionValues { Attempt = attempt },
            now,
            cancellationToken);

    public Task<JobWrite> CancelAsync(string jobId, DateTimeOffset now, CancellationToken cancellationToken) =>
        WriteAsync(
            jobId,
            JobEvent.Cancel,
            "completedAt = :now, cancelRequestedAt = if_not_exists(cancelRequestedAt, :now)",
            "#error, dueAt",
            [],
            new JobConditionValues(),
            now,
            cancellationToken);

    public Task<JobWrite> RequestCancelAsync(string jobId, DateTimeOffset now, CancellationToken cancellationToken) =>
        WriteAsync(
            jobId,
            JobEvent.RequestCancel,
            "cancelRequestedAt = if_not_exists(cancelRequestedAt, :now)",
            null,
            [],
            new JobConditionValues(),
            now,
            cancellationToken);

    public Task<JobWrite> FailUnclaimedAsync(string jobId, JobError error, DateTimeOffset now, CancellationToken cancellationToken) =>
        WriteAsync(
            jobId,
            JobEvent.FailUnclaimed,
            "#error = :error, completedAt = :now, notifiedAt = :now",
            "leaseExpiresAt, dueAt",
            new() { [":error"] = ToAttribute(error) },
            new JobConditionValues { Now = now },
            now,
            cancellationToken);

    public Task<JobWrite> RedispatchAsync(string jobId, int dispatch, DateTimeOffset dueAt, DateTimeOffset now, CancellationToken cancellationToken) =>
        WriteAsync(
            jobId,
            JobEvent.Redispatch,
            "dispatch = dispatch + :one, dueAt = :due",
            null,
            new() { [":one"] = N(1), [":due"] = N(dueAt.ToUnixTimeMilliseconds()) },
            new JobConditionValues { Dispatch = dispatch, Now = now },
            now,
            cancellationToken);

    public Task<JobWrite> MarkNotifiedAsync(string jobId, JobStatus status, DateTimeOffset now, CancellationToken cancellationToken) =>
        WriteAsync(
            jobId,
            JobEvent.MarkNotified,
            $"notifiedAt = :now, {JobTable.ListedAs} = :relisted",
            null,
            new() { [":relisted"] = S(JobTable.ListingOf(status)) },
            new JobConditionValues(),
            now,
            cancellationToken,
            touch: false);

    public async Task<JobPage> ListByStatusAsync(string owner, JobStatus status, int limit, string? cursor, CancellationToken cancellationToken, JobListFilter? filter = null)
    {
        ArgumentNullException.ThrowIfNull(owner);
        filter ??= JobListFilter.None;
        var listing = JobTable.ListingOf(status);
        var prefix = JobTable.OwnerKey(owner) + "#";
        var start = cursor is null ? null : JobCursors.Decode(cursor, listing, prefix, options.CursorKey);
        var jobs = new List<Job>(limit);
        // One entry more than the page is read, so a page that ends exactly at the limit is known
        // to be the last and carries no cursor. Queued and running share a partition: read on
        // until the page is full and one more match is seen, a few index pages at most. The key
        // condition keeps the read inside the caller's own range of the partition.
        for (var round = 0; round < MaxIndexPagesPerList; round++)
        {
            var response = await dynamo.QueryAsync(new QueryRequest
            {
                TableName = options.TableName,
                IndexName = options.ListingIndexName,
                // The owner's range, narrowed to the creation window: "~" sorts after every timestamp.
                KeyConditionExpression = "#listed = :listed AND #owned BETWEEN :from AND :to",
                ExpressionAttributeNames = new() { ["#listed"] = JobTable.ListedAs, ["#owned"] = JobTable.OwnerCreated },
                ExpressionAttributeValues = new()
                {
                    [":listed"] = S(listing),
                    [":from"] = S(prefix + (filter.CreatedAfter is { } after ? Timestamp(after) : string.Empty)),
                    [":to"] = S(prefix + (filter.CreatedBefore is { } before ? Timestamp(before) : "~")),
                },
                ProjectionExpression = "jobId",
                ScanIndexForward = false,
                Limit = limit - jobs.Count + 1,
                ExclusiveStartKey = start,
            }, cancellationToken).ConfigureAwait(false);
            var ids = (response.Items ?? []).Select(i => i["jobId"].S).ToList();
            var found = await ReadAllAsync(ids, cancellationToken).ConfigureAwait(false);
            foreach (var job in ids.Where(found.ContainsKey).Select(id => found[id]).Where(j => j.Status == status && j.Owner == owner && (filter.Model is null || j.Request.Model == filter.Model)))
            {
                if (jobs.Count == limit)
                {
                    // A match beyond the page: the next page starts after the page's last job.
                    var last = jobs[^1];
                    return new JobPage(jobs, JobCursors.Encode(new() { ["jobId"] = S(last.Id), [JobTable.ListedAs] = S(listing), [JobTable.OwnerCreated] = S(JobTable.OwnerCreatedOf(owner, last.CreatedAt)) }, options.CursorKey));
                }

                jobs.Add(job);
            }

            start = response.LastEvaluatedKey is { Count: > 0 } next ? next : null;
            if (start is null)
            {
                break;
            }
        }

        // Either the range is read to its end, or the rounds ran out while the page was still
        // filling (then more may follow, and the cursor says where).
        return new JobPage(jobs, start is null ? null : JobCursors.Encode(start, options.CursorKey));
    }

    public async IAsyncEnumerable<Job> ListStrandedAsync(DateTimeOffset cutoff, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Everything the reconciler may have to repair is in the active partition: queued jobs
        // whose message is overdue, running jobs whose lease ended (they keep the dueAt of the
        // message that woke them), and finished jobs whose notice is still to be sent (they have
        // no dueAt). Each candidate is confirmed with a consistent read before it is returned.
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var page = await dynamo.QueryAsync(new QueryRequest
            {
                TableName = options.TableName,
                IndexName = options.ListingIndexName,
                KeyConditionExpression = "#listed = :listed",
                FilterExpression = "attribute_not_exists(dueAt) OR dueAt < :cutoff",
                ExpressionAttributeNames = new() { ["#listed"] = JobTable.ListedAs },
                ExpressionAttributeValues = new() { [":listed"] = S(JobTable.Active), [":cutoff"] = N(cutoff.ToUnixTimeMilliseconds()) },
                ExclusiveStartKey = start,
            }, cancellationToken).ConfigureAwait(false);
            foreach (var found in page.Items ?? [])
            {
                if (await GetAsync(found["jobId"].S, cancellationToken).ConfigureAwait(false) is { } job && IsStranded(job, cutoff))
                {
                    yield return job;
                }
            }

            start = page.LastEvaluatedKey is { Count: > 0 } next ? next : null;
        }
        while (start is not null);
    }

    /// <summary>Index pages one listing reads at most to fill a page when queued and running jobs are mixed.</summary>
    private const int MaxIndexPagesPerList = 4;

    /// <summary>Tries of a keyed create that keeps meeting another transaction on its key.</summary>
    private const int MaxKeyRaces = 5;

    private static bool IsStranded(Job job, DateTimeOffset cutoff) => job.Status switch
    {
        JobStatus.Queued => job.DueAt is { } due && due < cutoff,
        JobStatus.Running => job.LeaseExpiresAt is { } lease && lease < cutoff,
        _ => job.NotifiedAt is null && job.CompletedAt is { } completed && completed < cutoff,
    };

    public async Task<IReadOnlyDictionary<string, Job>> GetManyAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken) =>
        await ReadAllAsync(ids, cancellationToken).ConfigureAwait(false);

    /// <summary>The items of <paramref name="ids"/> by id, by BatchGetItem (eventually consistent; what listing needs).</summary>
    private async Task<Dictionary<string, Job>> ReadAllAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        var jobs = new Dictionary<string, Job>(ids.Count);
        foreach (var chunk in ids.Chunk(100))
        {
            var keys = new KeysAndAttributes { Keys = chunk.Select(Key).ToList() };
            for (var round = 0; keys is { Keys.Count: > 0 }; round++)
            {
                if (round > 0)
                {
                    // Unprocessed keys mean the table is busy: back off a little before asking again.
                    await Task.Delay(TimeSpan.FromMilliseconds(50 << Math.Min(round, 5)), cancellationToken).ConfigureAwait(false);
                }

                var response = await dynamo.BatchGetItemAsync(new BatchGetItemRequest
                {
                    RequestItems = new() { [options.TableName] = keys },
                }, cancellationToken).ConfigureAwait(false);
                if (response.Responses?.TryGetValue(options.TableName, out var items) == true)
                {
                    foreach (var item in items)
                    {
                        var job = FromItem(item);
                        jobs[job.Id] = job;
                    }
                }

                keys = response.UnprocessedKeys?.TryGetValue(options.TableName, out var rest) == true ? rest : null;
            }
        }

        return jobs;
    }

    private async Task<JobWrite> WriteAsync(
        string jobId,
        JobEvent @event,
        string set,
        string? remove,
        Dictionary<string, AttributeValue> values,
        JobConditionValues guards,
        DateTimeOffset now,
        CancellationToken cancellationToken,
        bool touch = true)
    {
        var condition = JobConditions.For(@event);
        var names = new Dictionary<string, string> { ["#status"] = "status" };
        if (set.Contains("#error", StringComparison.Ordinal) || (remove?.Contains("#error", StringComparison.Ordinal) ?? false))
        {
            names["#error"] = "error";
        }

        values[":now"] = S(Timestamp(now));
        foreach (var (name, value) in condition.Values(guards))
        {
            values[name] = value;
        }

        var target = JobTransitions.Target(@event);
        // Only a move into another listing partition touches the index's key: a job finishing with
        // its notice recorded. A job canceled while queued stays with the active ones until its
        // notice is sent (MarkNotified moves it then).
        var relist = target is { } finished && finished.IsTerminal() && @event != JobEvent.Cancel;
        var update = "SET " + (target is { } to ? $"#status = :to_{to.ToName()}, " : string.Empty)
            + (relist ? $"{JobTable.ListedAs} = :listed, " : string.Empty)
            + (touch ? "updatedAt = :now, " : string.Empty) + set
            + (remove is null ? string.Empty : " REMOVE " + remove);
        if (target is { } next)
        {
            values[":to_" + next.ToName()] = S(next.ToName());
            if (relist)
            {
                values[":listed"] = S(JobTable.ListingOf(next));
            }
        }

        try
        {
            var response = await dynamo.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = options.TableName,
                Key = Key(jobId),
                UpdateExpression = update,
                ConditionExpression = condition.Expression,
                ExpressionAttributeNames = names,
                ExpressionAttributeValues = values,
                ReturnValues = ReturnValue.ALL_NEW,
                // A refused write hands back the item that refused it: no second read to find out why.
                ReturnValuesOnConditionCheckFailure = ReturnValuesOnConditionCheckFailure.ALL_OLD,
            }, cancellationToken).ConfigureAwait(false);
            return JobWrite.Applied(FromItem(response.Attributes));
        }
        catch (ConditionalCheckFailedException ex)
        {
            return JobWrite.Refused(ex.Item is { Count: > 0 } item ? FromItem(item) : null);
        }
    }

    private static Dictionary<string, AttributeValue> Key(string jobId) => new() { ["jobId"] = S(jobId) };
}
