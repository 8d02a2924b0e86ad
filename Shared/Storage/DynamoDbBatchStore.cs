using System.Runtime.CompilerServices;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Jobs.Shared.Batches;
using Jobs.Shared.Jobs;
using static Jobs.Shared.Storage.JobItemMapper;

namespace Jobs.Shared.Storage;

/// <summary>
/// Batch items in the jobs table under <c>batch#{id}</c>, listed in the listing index as
/// <c>batch-active</c> until finished and notified (the reconciler reads that partition), then <c>batch-done</c>.
/// </summary>
public sealed class DynamoDbBatchStore(IAmazonDynamoDB dynamo, JobStoreOptions options) : IBatchStore
{
    public const string ActiveListing = "batch-active";
    public const string DoneListing = "batch-done";

    public async Task CreateAsync(Batch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var item = new Dictionary<string, AttributeValue>
        {
            ["jobId"] = S(BatchIds.ItemKey(batch.Id)),
            ["batchId"] = S(batch.Id),
            ["owner"] = S(batch.Owner),
            ["status"] = S(Name(batch.Status)),
            ["manifestBucket"] = S(batch.Manifest.Bucket),
            ["manifestKey"] = S(batch.Manifest.Key),
            ["createdAt"] = S(Timestamp(batch.CreatedAt)),
            ["updatedAt"] = S(Timestamp(batch.UpdatedAt)),
            ["expiresAt"] = N(batch.ExpiresAt.ToUnixTimeSeconds()),
            ["nextStep"] = N(0),
            [JobTable.ListedAs] = S(ActiveListing),
            [JobTable.OwnerCreated] = S(JobTable.OwnerCreatedOf(batch.Owner, batch.CreatedAt)),
        };
        await dynamo.PutItemAsync(new PutItemRequest
        {
            TableName = options.TableName,
            Item = item,
            ConditionExpression = "attribute_not_exists(jobId)",
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<Batch?> GetAsync(string batchId, CancellationToken cancellationToken)
    {
        var response = await dynamo.GetItemAsync(new GetItemRequest
        {
            TableName = options.TableName,
            Key = Key(batchId),
            ConsistentRead = true,
        }, cancellationToken).ConfigureAwait(false);
        return response.IsItemSet && response.Item is { Count: > 0 } item ? Read(item) : null;
    }

    public Task<bool> RecordManifestAsync(string batchId, int total, int invalid, int chunks, DateTimeOffset now, CancellationToken cancellationToken) =>
        UpdateAsync(
            batchId,
            "SET #total = :total, invalid = :invalid, chunks = :chunks, remaining = :remaining, nextStep = :one, updatedAt = :now" + (chunks == 0 ? ", #status = :running" : string.Empty),
            "nextStep = :zero AND #status = :expanding",
            new()
            {
                [":total"] = N(total), [":invalid"] = N(invalid), [":chunks"] = N(chunks), [":remaining"] = N(total - invalid),
                [":one"] = N(1), [":zero"] = N(0), [":expanding"] = S(Name(BatchStatus.Expanding)), [":running"] = S(Name(BatchStatus.Running)),
            },
            now,
            cancellationToken,
            chunks == 0);

    public Task<bool> AdvanceAsync(string batchId, int step, int created, bool last, DateTimeOffset now, CancellationToken cancellationToken) =>
        UpdateAsync(
            batchId,
            "SET nextStep = :next, updatedAt = :now" + (last ? ", #status = :running" : string.Empty) + " ADD created :created",
            "nextStep = :step AND #status = :expanding",
            new() { [":next"] = N(step + 1), [":step"] = N(step), [":created"] = N(created), [":expanding"] = S(Name(BatchStatus.Expanding)), [":running"] = S(Name(BatchStatus.Running)) },
            now,
            cancellationToken,
            last);

    public Task<bool> StopExpansionAsync(string batchId, int step, int skipped, DateTimeOffset now, CancellationToken cancellationToken) =>
        UpdateAsync(
            batchId,
            "SET #status = :running, updatedAt = :now ADD skipped :skipped, remaining :minus",
            "nextStep = :step AND #status = :expanding",
            new() { [":step"] = N(step), [":skipped"] = N(skipped), [":minus"] = N(-skipped), [":expanding"] = S(Name(BatchStatus.Expanding)), [":running"] = S(Name(BatchStatus.Running)) },
            now,
            cancellationToken,
            statusNamed: true);

    public Task<bool> FailAsync(string batchId, JobError error, DateTimeOffset now, CancellationToken cancellationToken) =>
        UpdateAsync(
            batchId,
            "SET #status = :failed, #error = :error, completedAt = :now, updatedAt = :now",
            "#status = :expanding",
            new() { [":failed"] = S(Name(BatchStatus.Failed)), [":error"] = ToAttribute(error), [":expanding"] = S(Name(BatchStatus.Expanding)) },
            now,
            cancellationToken,
            statusNamed: true,
            names: new() { ["#error"] = "error" });

    public async Task<bool> CountFinishedAsync(Job job, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var counter = job.Status switch
        {
            JobStatus.Succeeded => "succeeded",
            JobStatus.Canceled => "canceled",
            _ => "failed",
        };
        try
        {
            await dynamo.TransactWriteItemsAsync(new TransactWriteItemsRequest
            {
                TransactItems =
                [
                    new TransactWriteItem
                    {
                        Update = new Update
                        {
                            TableName = options.TableName,
                            Key = new() { ["jobId"] = S(job.Id) },
                            UpdateExpression = "SET batchCounted = :true",
                            ConditionExpression = "attribute_not_exists(batchCounted) AND #status = :status",
                            ExpressionAttributeNames = new() { ["#status"] = "status" },
                            ExpressionAttributeValues = new() { [":true"] = new AttributeValue { BOOL = true }, [":status"] = S(job.Status.ToName()) },
                        },
                    },
                    new TransactWriteItem
                    {
                        Update = new Update
                        {
                            TableName = options.TableName,
                            Key = Key(job.BatchId!),
                            UpdateExpression = $"SET updatedAt = :now ADD remaining :minus, {counter} :one",
                            ConditionExpression = "attribute_exists(jobId)",
                            ExpressionAttributeValues = new() { [":now"] = S(Timestamp(now)), [":minus"] = N(-1), [":one"] = N(1) },
                        },
                    },
                ],
            }, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (TransactionCanceledException ex) when (ex.CancellationReasons is { Count: 2 } reasons && reasons[0].Code == "ConditionalCheckFailed")
        {
            return false;
        }
    }

    public Task<bool> CompleteAsync(string batchId, BatchStatus status, DateTimeOffset now, CancellationToken cancellationToken) =>
        UpdateAsync(
            batchId,
            "SET #status = :final, completedAt = :now, updatedAt = :now",
            "#status = :running AND remaining = :zero",
            new() { [":final"] = S(Name(status)), [":running"] = S(Name(BatchStatus.Running)), [":zero"] = N(0) },
            now,
            cancellationToken,
            statusNamed: true);

    public Task<bool> ClaimNoticeAsync(string batchId, DateTimeOffset until, DateTimeOffset now, CancellationToken cancellationToken) =>
        UpdateAsync(
            batchId,
            "SET noticeLease = :until",
            "attribute_not_exists(notifiedAt) AND (attribute_not_exists(noticeLease) OR noticeLease < :nowMs)",
            new() { [":until"] = N(until.ToUnixTimeMilliseconds()), [":nowMs"] = N(now.ToUnixTimeMilliseconds()) },
            now,
            cancellationToken);

    public Task<bool> MarkNotifiedAsync(string batchId, string resultsKey, DateTimeOffset now, CancellationToken cancellationToken) =>
        UpdateAsync(
            batchId,
            $"SET notifiedAt = :now, resultsKey = :results, updatedAt = :now, {JobTable.ListedAs} = :done",
            "attribute_not_exists(notifiedAt)",
            new() { [":results"] = S(resultsKey), [":done"] = S(DoneListing) },
            now,
            cancellationToken);

    public Task<bool> RequestCancelAsync(string batchId, DateTimeOffset now, CancellationToken cancellationToken) =>
        UpdateAsync(
            batchId,
            "SET cancelRequestedAt = if_not_exists(cancelRequestedAt, :now), updatedAt = :now",
            "#status IN (:expanding, :running)",
            new() { [":expanding"] = S(Name(BatchStatus.Expanding)), [":running"] = S(Name(BatchStatus.Running)) },
            now,
            cancellationToken,
            statusNamed: true);

    public async Task<(IReadOnlyList<Batch> Items, bool More)> ListAsync(string owner, int limit, DateTimeOffset? before, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(owner);
        var prefix = JobTable.OwnerKey(owner) + "#";
        // Both partitions hold the owner's range; each gives its newest, and the two are merged.
        var keys = new List<(string OwnerCreated, string Key)>();
        foreach (var listing in new[] { ActiveListing, DoneListing })
        {
            var page = await dynamo.QueryAsync(new QueryRequest
            {
                TableName = options.TableName,
                IndexName = options.ListingIndexName,
                KeyConditionExpression = "#listed = :listed AND #owned BETWEEN :from AND :to",
                ExpressionAttributeNames = new() { ["#listed"] = JobTable.ListedAs, ["#owned"] = JobTable.OwnerCreated },
                ExpressionAttributeValues = new()
                {
                    [":listed"] = S(listing),
                    [":from"] = S(prefix),
                    // Strictly before: the boundary's own batch is on the page that gave it.
                    [":to"] = S(prefix + (before is { } b ? Timestamp(b.AddTicks(-1)) : "~")),
                },
                ProjectionExpression = $"jobId, {JobTable.OwnerCreated}",
                ScanIndexForward = false,
                Limit = limit + 1,
            }, cancellationToken).ConfigureAwait(false);
            keys.AddRange((page.Items ?? []).Select(i => (i[JobTable.OwnerCreated].S, i["jobId"].S)));
        }

        var newest = keys.OrderByDescending(k => k.OwnerCreated, StringComparer.Ordinal).ToList();
        var batches = new List<Batch>(limit);
        foreach (var (_, key) in newest.Take(limit))
        {
            if (await GetAsync(key["batch#".Length..], cancellationToken).ConfigureAwait(false) is { } batch && batch.Owner == owner)
            {
                batches.Add(batch);
            }
        }

        return (batches, newest.Count > limit);
    }

    public async IAsyncEnumerable<Batch> ListActiveAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var page = await dynamo.QueryAsync(new QueryRequest
            {
                TableName = options.TableName,
                IndexName = options.ListingIndexName,
                KeyConditionExpression = "#listed = :listed",
                ExpressionAttributeNames = new() { ["#listed"] = JobTable.ListedAs },
                ExpressionAttributeValues = new() { [":listed"] = S(ActiveListing) },
                ProjectionExpression = "jobId",
                ExclusiveStartKey = start,
            }, cancellationToken).ConfigureAwait(false);
            foreach (var key in page.Items ?? [])
            {
                if (await GetAsync(key["jobId"].S["batch#".Length..], cancellationToken).ConfigureAwait(false) is { } batch)
                {
                    yield return batch;
                }
            }

            start = page.LastEvaluatedKey is { Count: > 0 } next ? next : null;
        }
        while (start is not null);
    }

    private async Task<bool> UpdateAsync(
        string batchId,
        string update,
        string condition,
        Dictionary<string, AttributeValue> values,
        DateTimeOffset now,
        CancellationToken cancellationToken,
        bool statusNamed = false,
        Dictionary<string, string>? names = null)
    {
        values[":now"] = S(Timestamp(now));
        names ??= [];
        if (statusNamed || update.Contains("#status", StringComparison.Ordinal) || condition.Contains("#status", StringComparison.Ordinal))
        {
            names["#status"] = "status";
        }

        if (update.Contains("#total", StringComparison.Ordinal))
        {
            names["#total"] = "total";
        }

        // Values only the other branch of an expression uses are dropped: DynamoDB refuses unused ones.
        var text = update + " " + condition;
        var usedNames = names.Where(n => text.Contains(n.Key, StringComparison.Ordinal)).ToDictionary();
        try
        {
            await dynamo.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = options.TableName,
                Key = Key(batchId),
                UpdateExpression = update,
                ConditionExpression = condition,
                ExpressionAttributeNames = usedNames.Count > 0 ? usedNames : null,
                ExpressionAttributeValues = values.Where(v => ContainsToken(text, v.Key)).ToDictionary(),
            }, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (ConditionalCheckFailedException)
        {
            return false;
        }
    }

    private static bool ContainsToken(string text, string token)
    {
        for (var at = text.IndexOf(token, StringComparison.Ordinal); at >= 0; at = text.IndexOf(token, at + 1, StringComparison.Ordinal))
        {
            var end = at + token.Length;
            if (end == text.Length || !(char.IsAsciiLetterOrDigit(text[end]) || text[end] == '_'))
            {
                return true;
            }
        }

        return false;
    }

    private static Dictionary<string, AttributeValue> Key(string batchId) => new() { ["jobId"] = S(BatchIds.ItemKey(batchId)) };

    public static string Name(BatchStatus status) => status.ToString().ToLowerInvariant();

    private static Batch Read(Dictionary<string, AttributeValue> item) => new()
    {
        Id = Required(item, "batchId"),
        Owner = Required(item, "owner"),
        Status = Enum.Parse<BatchStatus>(Required(item, "status"), ignoreCase: true),
        Manifest = new OutputLocation(Required(item, "manifestBucket"), Required(item, "manifestKey")),
        CreatedAt = Time(item, "createdAt")!.Value,
        UpdatedAt = Time(item, "updatedAt")!.Value,
        ExpiresAt = DateTimeOffset.FromUnixTimeSeconds(Num(item, "expiresAt") ?? 0),
        NextStep = (int)(Num(item, "nextStep") ?? 0),
        Chunks = Num(item, "chunks") is { } chunks ? (int)chunks : null,
        Total = Num(item, "total") is { } total ? (int)total : null,
        Invalid = (int)(Num(item, "invalid") ?? 0),
        Created = (int)(Num(item, "created") ?? 0),
        Skipped = (int)(Num(item, "skipped") ?? 0),
        Remaining = Num(item, "remaining") is { } remaining ? (int)remaining : null,
        Succeeded = (int)(Num(item, "succeeded") ?? 0),
        Failed = (int)(Num(item, "failed") ?? 0),
        Canceled = (int)(Num(item, "canceled") ?? 0),
        CancelRequestedAt = Time(item, "cancelRequestedAt"),
        CompletedAt = Time(item, "completedAt"),
        NotifiedAt = Time(item, "notifiedAt"),
        ResultsKey = Str(item, "resultsKey"),
        Error = item.TryGetValue("error", out var e) && e.M is { } m ? new JobError(Str(m, "code") ?? "unknown", Str(m, "message") ?? string.Empty) : null,
    };
}
