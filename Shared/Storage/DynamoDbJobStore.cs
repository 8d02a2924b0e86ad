using System.Text;
using System.Text.Json;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Jobs.Shared.Jobs;
using Jobs.Shared.Json;
using static Jobs.Shared.Storage.JobItemMapper;

namespace Jobs.Shared.Storage;

/// <summary>
/// <see cref="IJobStore"/> on DynamoDB. Each status change is a single UpdateItem whose condition
/// is the expected current state (and, after a claim, the claim's attempt number), so a late or
/// duplicate worker cannot overwrite a newer outcome.
/// </summary>
public sealed class DynamoDbJobStore(IAmazonDynamoDB dynamo, JobStoreOptions options) : IJobStore
{
    private static readonly Dictionary<string, string> StatusName = new() { ["#status"] = "status" };

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

    public async Task<bool> DeleteQueuedAsync(string jobId, CancellationToken cancellationToken)
    {
        try
        {
            await dynamo.DeleteItemAsync(new DeleteItemRequest
            {
                TableName = options.TableName,
                Key = Key(jobId),
                ConditionExpression = "#status = :queued",
                ExpressionAttributeNames = StatusName,
                ExpressionAttributeValues = new() { [":queued"] = S(JobStatus.Queued.ToName()) },
            }, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (ConditionalCheckFailedException)
        {
            return false;
        }
    }

    public async Task<Job?> TryClaimAsync(string jobId, DateTimeOffset now, DateTimeOffset leaseExpiresAt, CancellationToken cancellationToken)
    {
        try
        {
            var response = await dynamo.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = options.TableName,
                Key = Key(jobId),
                UpdateExpression = "SET #status = :running, attempts = if_not_exists(attempts, :zero) + :one, " +
                                   "startedAt = if_not_exists(startedAt, :now), updatedAt = :now, leaseExpiresAt = :lease",
                // A running job is claimable only once the invocation that claimed it has certainly
                // ended (its lease is its deadline): that is how a crashed worker's job is recovered.
                ConditionExpression = "#status = :queued OR (#status = :running AND leaseExpiresAt < :nowMs)",
                ExpressionAttributeNames = StatusName,
                ExpressionAttributeValues = new()
                {
                    [":running"] = S(JobStatus.Running.ToName()),
                    [":queued"] = S(JobStatus.Queued.ToName()),
                    [":zero"] = N(0),
                    [":one"] = N(1),
                    [":now"] = S(Timestamp(now)),
                    [":nowMs"] = N(now.ToUnixTimeMilliseconds()),
                    [":lease"] = N(leaseExpiresAt.ToUnixTimeMilliseconds()),
                },
                ReturnValues = ReturnValue.ALL_NEW,
            }, cancellationToken).ConfigureAwait(false);
            return FromItem(response.Attributes);
        }
        catch (ConditionalCheckFailedException)
        {
            return null;
        }
    }

    public Task<bool> TryCompleteAsync(string jobId, int attempt, IReadOnlyList<JobImage> images, DateTimeOffset now, CancellationToken cancellationToken) =>
        TryUpdateAsync(
            jobId,
            "SET #status = :succeeded, updatedAt = :now, images = :images, completedAt = :now REMOVE leaseExpiresAt, #error",
            // A cancel that arrived while the images were being made wins over the result.
            RunningAttempt + " AND attribute_not_exists(cancelRequestedAt)",
            new() { [":images"] = ToAttribute(images), [":attempt"] = N(attempt) },
            now,
            cancellationToken);

    public Task<bool> TryFailAsync(string jobId, int attempt, JobError error, DateTimeOffset now, CancellationToken cancellationToken) =>
        TryUpdateAsync(
            jobId,
            "SET #status = :failed, updatedAt = :now, #error = :error, completedAt = :now REMOVE leaseExpiresAt",
            RunningAttempt,
            new() { [":error"] = ToAttribute(error), [":attempt"] = N(attempt) },
            now,
            cancellationToken);

    public Task<bool> TryRequeueAsync(string jobId, int attempt, JobError reason, DateTimeOffset now, CancellationToken cancellationToken) =>
        TryUpdateAsync(
            jobId,
            "SET #status = :queued, updatedAt = :now, #error = :error REMOVE leaseExpiresAt",
            RunningAttempt,
            new() { [":error"] = ToAttribute(reason), [":attempt"] = N(attempt) },
            now,
            cancellationToken);

    public Task<bool> TryDeferAsync(string jobId, int attempt, JobError reason, DateTimeOffset now, CancellationToken cancellationToken) =>
        TryUpdateAsync(
            jobId,
            // The claim's attempt is handed back: waiting for capacity is not a try.
            "SET #status = :queued, updatedAt = :now, #error = :error, attempts = attempts - :one, " +
            "deferrals = if_not_exists(deferrals, :zero) + :one REMOVE leaseExpiresAt",
            RunningAttempt,
            new() { [":error"] = ToAttribute(reason), [":attempt"] = N(attempt), [":one"] = N(1), [":zero"] = N(0) },
            now,
            cancellationToken);

    public Task<bool> TryCancelRunningAsync(string jobId, int attempt, DateTimeOffset now, CancellationToken cancellationToken) =>
        TryUpdateAsync(
            jobId,
            "SET #status = :canceled, updatedAt = :now, completedAt = :now REMOVE leaseExpiresAt",
            RunningAttempt,
            new() { [":attempt"] = N(attempt) },
            now,
            cancellationToken);

    public Task<bool> TryCancelQueuedAsync(string jobId, DateTimeOffset now, CancellationToken cancellationToken) =>
        TryUpdateAsync(
            jobId,
            "SET #status = :canceled, updatedAt = :now, completedAt = :now, cancelRequestedAt = :now REMOVE #error",
            "#status = :queued",
            [],
            now,
            cancellationToken);

    public Task<bool> TryRequestCancelAsync(string jobId, DateTimeOffset now, CancellationToken cancellationToken) =>
        TryUpdateAsync(
            jobId,
            "SET updatedAt = :now, cancelRequestedAt = if_not_exists(cancelRequestedAt, :now)",
            "#status = :running",
            [],
            now,
            cancellationToken);

    public Task<bool> TryFailUnclaimedAsync(string jobId, JobError error, DateTimeOffset now, CancellationToken cancellationToken) =>
        TryUpdateAsync(
            jobId,
            "SET #status = :failed, updatedAt = :now, #error = :error, completedAt = :now REMOVE leaseExpiresAt",
            // Only a job no live worker holds: queued, or running past its lease.
            "#status = :queued OR (#status = :running AND leaseExpiresAt < :nowMs)",
            new() { [":error"] = ToAttribute(error), [":nowMs"] = N(now.ToUnixTimeMilliseconds()) },
            now,
            cancellationToken);

    public async Task MarkNotifiedAsync(string jobId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await dynamo.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = options.TableName,
            Key = Key(jobId),
            UpdateExpression = "SET notifiedAt = if_not_exists(notifiedAt, :now)",
            ConditionExpression = "attribute_exists(jobId)",
            ExpressionAttributeValues = new() { [":now"] = S(Timestamp(now)) },
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<JobPage> ListByStatusAsync(JobStatus status, int limit, string? cursor, CancellationToken cancellationToken)
    {
        var response = await dynamo.QueryAsync(new QueryRequest
        {
            TableName = options.TableName,
            IndexName = options.StatusIndexName,
            KeyConditionExpression = "#status = :status",
            ExpressionAttributeNames = StatusName,
            ExpressionAttributeValues = new() { [":status"] = S(status.ToName()) },
            ScanIndexForward = false,
            Limit = limit,
            ExclusiveStartKey = cursor is null ? null : DecodeCursor(cursor, status),
        }, cancellationToken).ConfigureAwait(false);
        var items = (response.Items ?? []).Select(FromItem).ToList();
        var next = response.LastEvaluatedKey is { Count: > 0 } last ? EncodeCursor(last) : null;
        return new JobPage(items, next);
    }

    // Fenced by the attempt number: a worker whose claim was taken over cannot change the job.
    private const string RunningAttempt = "#status = :running AND attempts = :attempt";

    private async Task<bool> TryUpdateAsync(
        string jobId,
        string update,
        string condition,
        Dictionary<string, AttributeValue> values,
        DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        values[":now"] = S(Timestamp(now));
        foreach (var status in Enum.GetValues<JobStatus>())
        {
            var name = ":" + status.ToName();
            if (update.Contains(name, StringComparison.Ordinal) || condition.Contains(name, StringComparison.Ordinal))
            {
                values[name] = S(status.ToName());
            }
        }

        var names = new Dictionary<string, string> { ["#status"] = "status" };
        if (update.Contains("#error", StringComparison.Ordinal))
        {
            names["#error"] = "error";
        }

        try
        {
            await dynamo.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = options.TableName,
                Key = Key(jobId),
                UpdateExpression = update,
                ConditionExpression = "attribute_exists(jobId) AND (" + condition + ")",
                ExpressionAttributeNames = names,
                ExpressionAttributeValues = values,
            }, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (ConditionalCheckFailedException)
        {
            return false;
        }
    }

    private static Dictionary<string, AttributeValue> Key(string jobId) => new() { ["jobId"] = S(jobId) };

    private static string EncodeCursor(Dictionary<string, AttributeValue> lastKey)
    {
        var cursor = new JobCursor(lastKey["jobId"].S, lastKey["status"].S, lastKey["createdAt"].S);
        var json = JsonSerializer.SerializeToUtf8Bytes(cursor, JobsJsonContext.Default.JobCursor);
        return Convert.ToBase64String(json).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    private static Dictionary<string, AttributeValue> DecodeCursor(string cursor, JobStatus status)
    {
        JobCursor? decoded;
        try
        {
            var base64 = cursor.Replace('-', '+').Replace('_', '/');
            base64 = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
            decoded = JsonSerializer.Deserialize(Encoding.UTF8.GetString(Convert.FromBase64String(base64)), JobsJsonContext.Default.JobCursor);
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            throw new InvalidCursorException("cursor is not one this service issued.");
        }

        if (decoded is null || decoded.Status != status.ToName() || !JobIds.IsWellFormed(decoded.JobId))
        {
            throw new InvalidCursorException("cursor does not belong to this status query.");
        }

        return new()
        {
            ["jobId"] = S(decoded.JobId),
            ["status"] = S(decoded.Status),
            ["createdAt"] = S(decoded.CreatedAt),
        };
    }
}
