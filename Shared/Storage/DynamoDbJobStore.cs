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
            "dueAt",
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

    public Task<JobWrite> MarkNotifiedAsync(string jobId, DateTimeOffset now, CancellationToken cancellationToken) =>
        WriteAsync(jobId, JobEvent.MarkNotified, "notifiedAt = :now", null, [], new JobConditionValues(), now, cancellationToken, touch: false);

    public async Task<JobPage> ListByStatusAsync(JobStatus status, int limit, string? cursor, CancellationToken cancellationToken)
    {
        var response = await dynamo.QueryAsync(new QueryRequest
        {
            TableName = options.TableName,
            IndexName = options.StatusIndexName,
            KeyConditionExpression = "#status = :status",
            ExpressionAttributeNames = new() { ["#status"] = "status" },
            ExpressionAttributeValues = new() { [":status"] = S(status.ToName()) },
            ScanIndexForward = false,
            Limit = limit,
            ExclusiveStartKey = cursor is null ? null : JobCursors.Decode(cursor, status),
        }, cancellationToken).ConfigureAwait(false);
        var items = (response.Items ?? []).Select(FromItem).ToList();
        var next = response.LastEvaluatedKey is { Count: > 0 } last ? JobCursors.Encode(last) : null;
        return new JobPage(items, next);
    }

    public async IAsyncEnumerable<Job> ListStrandedAsync(DateTimeOffset cutoff, DateTimeOffset createdAfter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var cutoffMs = N(cutoff.ToUnixTimeMilliseconds());
        var queries = new (JobStatus Status, string Filter, Dictionary<string, AttributeValue> Values, bool Recent)[]
        {
            (JobStatus.Queued, "dueAt < :cutoff", new() { [":cutoff"] = cutoffMs }, false),
            (JobStatus.Running, "leaseExpiresAt < :cutoff", new() { [":cutoff"] = cutoffMs }, false),
            (JobStatus.Succeeded, "attribute_not_exists(notifiedAt) AND completedAt < :cutoffAt", new() { [":cutoffAt"] = S(Timestamp(cutoff)) }, true),
            (JobStatus.Failed, "attribute_not_exists(notifiedAt) AND completedAt < :cutoffAt", new() { [":cutoffAt"] = S(Timestamp(cutoff)) }, true),
            (JobStatus.Canceled, "attribute_not_exists(notifiedAt) AND completedAt < :cutoffAt", new() { [":cutoffAt"] = S(Timestamp(cutoff)) }, true),
        };
        foreach (var (status, filter, values, recent) in queries)
        {
            values[":status"] = S(status.ToName());
            // Finished jobs are many and old; only those that finished recently can lack a notice.
            var key = "#status = :status";
            if (recent)
            {
                key += " AND createdAt > :after";
                values[":after"] = S(Timestamp(createdAfter));
            }

            Dictionary<string, AttributeValue>? start = null;
            do
            {
                var response = await dynamo.QueryAsync(new QueryRequest
                {
                    TableName = options.TableName,
                    IndexName = options.StatusIndexName,
                    KeyConditionExpression = key,
                    FilterExpression = filter,
                    ExpressionAttributeNames = new() { ["#status"] = "status" },
                    ExpressionAttributeValues = values,
                    ExclusiveStartKey = start,
                }, cancellationToken).ConfigureAwait(false);
                foreach (var item in response.Items ?? [])
                {
                    yield return FromItem(item);
                }

                start = response.LastEvaluatedKey is { Count: > 0 } last ? last : null;
            }
            while (start is not null);
        }
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

        var update = "SET " + (JobTransitions.Target(@event) is { } target ? $"#status = :to_{target.ToName()}, " : string.Empty)
            + (touch ? "updatedAt = :now, " : string.Empty) + set
            + (remove is null ? string.Empty : " REMOVE " + remove);
        if (JobTransitions.Target(@event) is { } to)
        {
            values[":to_" + to.ToName()] = S(to.ToName());
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
