using System.Globalization;
using Amazon.DynamoDBv2.Model;
using Jobs.Shared.Jobs;

namespace Jobs.Shared.Storage;

/// <summary>
/// Maps a <see cref="Job"/> to and from its DynamoDB item. Timestamps are fixed-width UTC
/// ISO-8601 strings so the status index sorts them correctly as text; TTL and lease times are
/// epoch numbers because DynamoDB's TTL and numeric conditions need numbers.
/// </summary>
internal static class JobItemMapper
{
    private const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    public static string Timestamp(DateTimeOffset value) =>
        value.UtcDateTime.ToString(TimestampFormat, CultureInfo.InvariantCulture);

    public static AttributeValue S(string value) => new() { S = value };

    public static AttributeValue N(long value) => new() { N = value.ToString(CultureInfo.InvariantCulture) };

    public static AttributeValue ToAttribute(JobError error) => new()
    {
        M = new Dictionary<string, AttributeValue> { ["code"] = S(error.Code), ["message"] = S(error.Message) },
    };

    public static AttributeValue ToAttribute(IReadOnlyList<JobImage> images) => new()
    {
        L = images.Select(i => new AttributeValue
        {
            M = new Dictionary<string, AttributeValue>
            {
                ["bucket"] = S(i.Bucket),
                ["key"] = S(i.Key),
                ["sha256"] = S(i.Sha256),
                ["bytes"] = N(i.Bytes),
                ["width"] = N(i.Width),
                ["height"] = N(i.Height),
                ["seed"] = N(i.Seed),
            },
        }).ToList(),
    };

    public static Dictionary<string, AttributeValue> ToItem(Job job)
    {
        var request = job.Request;
        var item = new Dictionary<string, AttributeValue>
        {
            ["jobId"] = S(job.Id),
            ["status"] = S(job.Status.ToName()),
            [JobTable.ListedAs] = S(JobTable.ListingOf(job)),
            [JobTable.OwnerCreated] = S(JobTable.OwnerCreatedOf(job.Owner, job.CreatedAt)),
            ["owner"] = S(job.Owner),
            ["createdAt"] = S(Timestamp(job.CreatedAt)),
            ["updatedAt"] = S(Timestamp(job.UpdatedAt)),
            ["prompt"] = S(request.Prompt),
            ["model"] = S(request.Model),
            ["seed"] = N(request.Seed),
            ["count"] = N(request.Count),
            ["outputFormat"] = S(request.OutputFormat),
            ["attempts"] = N(job.Attempts),
            ["dispatch"] = N(job.Dispatch),
            ["expiresAt"] = N(job.ExpiresAt.ToUnixTimeSeconds()),
        };
        if (job.DueAt is { } dueAt)
        {
            item["dueAt"] = N(dueAt.ToUnixTimeMilliseconds());
        }

        if (job.SlotAt is { } slot)
        {
            item["slotAt"] = N(slot.ToUnixTimeMilliseconds());
        }

        if (job.LeaseExpiresAt is { } lease)
        {
            item["leaseExpiresAt"] = N(lease.ToUnixTimeMilliseconds());
        }

        if (job.Deferrals > 0)
        {
            item["deferrals"] = N(job.Deferrals);
        }

        foreach (var (name, value) in new[] { ("startedAt", job.StartedAt), ("completedAt", job.CompletedAt), ("notifiedAt", job.NotifiedAt), ("cancelRequestedAt", job.CancelRequestedAt), ("startBy", job.StartBy) })
        {
            if (value is { } at)
            {
                item[name] = S(Timestamp(at));
            }
        }

        AddIfPresent(item, "negativePrompt", request.NegativePrompt);
        AddIfPresent(item, "aspectRatio", request.AspectRatio);
        AddIfPresent(item, "idempotencyKey", job.IdempotencyKey);
        AddIfPresent(item, "cachedFrom", job.CachedFrom);
        AddIfPresent(item, "batchId", job.BatchId);
        AddIfPresent(item, "clientId", job.ClientId);
        if (job.BatchIndex is { } batchIndex)
        {
            item["batchIndex"] = N(batchIndex);
        }

        if (job.Metadata is { Count: > 0 } metadata)
        {
            item["metadata"] = new AttributeValue { M = metadata.ToDictionary(p => p.Key, p => S(p.Value)) };
        }

        if (job.Output is { } output)
        {
            item["output"] = new AttributeValue { M = new() { ["bucket"] = S(output.Bucket), ["key"] = S(output.Key) } };
        }
        AddIfPresent(item, "style", request.Style);
        AddIfPresent(item, "quality", request.Quality);
        if (request.Task != Models.Tasks.ImageTasks.TextToImage)
        {
            item["task"] = S(request.Task);
        }

        if (request.Parameters.Count > 0)
        {
            item["parameters"] = new AttributeValue { M = request.Parameters.ToDictionary(p => p.Key, p => S(p.Value)) };
        }

        if (request.Inputs.Count > 0)
        {
            item["inputs"] = new AttributeValue
            {
                L = request.Inputs.Select(i => new AttributeValue
                {
                    M = new()
                    {
                        ["name"] = S(i.Name), ["uploadId"] = S(i.UploadId), ["key"] = S(i.Key), ["sha256"] = S(i.Sha256),
                        ["format"] = S(i.Format), ["width"] = N(i.Width), ["height"] = N(i.Height), ["bytes"] = N(i.Bytes),
                    },
                }).ToList(),
            };
        }

        if (request.CfgScale is { } cfgScale)
        {
            item["cfgScale"] = new AttributeValue { N = cfgScale.ToString("R", CultureInfo.InvariantCulture) };
        }

        if (request.Steps is { } steps)
        {
            item["steps"] = N(steps);
        }

        if (request.Width is { } width)
        {
            item["width"] = N(width);
        }

        if (request.Height is { } height)
        {
            item["height"] = N(height);
        }

        if (job.Error is { } error)
        {
            item["error"] = ToAttribute(error);
        }

        if (job.Images.Count > 0)
        {
            item["images"] = ToAttribute(job.Images);
        }

        return item;
    }

    /// <exception cref="InvalidDataException">The item is not a job this code can read.</exception>
    public static Job FromItem(Dictionary<string, AttributeValue> item)
    {
        try
        {
            return ReadItem(item);
        }
        catch (Exception ex) when (ex is FormatException or OverflowException or ArgumentException or NullReferenceException)
        {
            throw new InvalidDataException($"Job item {Str(item, "jobId")} cannot be read: {ex.Message}", ex);
        }
    }

    private static Job ReadItem(Dictionary<string, AttributeValue> item)
    {
        var status = JobStatusNames.TryParse(Str(item, "status"), out var parsed)
            ? parsed
            : throw new InvalidDataException($"Job item {Str(item, "jobId")} has an unknown status.");
        return new Job
        {
            Id = Required(item, "jobId"),
            Status = status,
            Request = new JobRequest
            {
                Prompt = Required(item, "prompt"),
                NegativePrompt = Str(item, "negativePrompt"),
                Model = Required(item, "model"),
                AspectRatio = Str(item, "aspectRatio"),
                Width = (int?)Num(item, "width"),
                Height = (int?)Num(item, "height"),
                Seed = Num(item, "seed") ?? 0,
                Count = (int)(Num(item, "count") ?? 1),
                OutputFormat = Str(item, "outputFormat") ?? "png",
                Style = Str(item, "style"),
                Quality = Str(item, "quality"),
                CfgScale = item.TryGetValue("cfgScale", out var cfg) && cfg.N is { } c ? double.Parse(c, CultureInfo.InvariantCulture) : null,
                Steps = (int?)Num(item, "steps"),
                Task = Str(item, "task") ?? Models.Tasks.ImageTasks.TextToImage,
                Parameters = item.TryGetValue("parameters", out var parameters) && parameters.M is { } map
                    ? map.ToDictionary(p => p.Key, p => p.Value.S ?? string.Empty, StringComparer.Ordinal)
                    : new Dictionary<string, string>(StringComparer.Ordinal),
                Inputs = item.TryGetValue("inputs", out var inputs) && inputs.L is { } list
                    ? list.Where(i => i.M is not null).Select(i => new JobInput(Str(i.M, "name") ?? string.Empty, Str(i.M, "uploadId") ?? string.Empty)
                    {
                        Key = Str(i.M, "key") ?? string.Empty,
                        Sha256 = Str(i.M, "sha256") ?? string.Empty,
                        Format = Str(i.M, "format") ?? string.Empty,
                        Width = (int)(Num(i.M, "width") ?? 0),
                        Height = (int)(Num(i.M, "height") ?? 0),
                        Bytes = Num(i.M, "bytes") ?? 0,
                    }).ToList()
                    : [],
            },
            CreatedAt = Time(item, "createdAt") ?? throw new InvalidDataException("Job item has no createdAt."),
            UpdatedAt = Time(item, "updatedAt") ?? throw new InvalidDataException("Job item has no updatedAt."),
            Attempts = (int)(Num(item, "attempts") ?? 0),
            Error = item.TryGetValue("error", out var e) && e.M is { } m
                ? new JobError(Str(m, "code") ?? "unknown", Str(m, "message") ?? string.Empty)
                : null,
            Images = ReadImages(item),
            StartedAt = Time(item, "startedAt"),
            CompletedAt = Time(item, "completedAt"),
            NotifiedAt = Time(item, "notifiedAt"),
            LeaseExpiresAt = Num(item, "leaseExpiresAt") is { } lease ? DateTimeOffset.FromUnixTimeMilliseconds(lease) : null,
            ExpiresAt = DateTimeOffset.FromUnixTimeSeconds(Num(item, "expiresAt") ?? 0),
            IdempotencyKey = Str(item, "idempotencyKey"),
            CancelRequestedAt = Time(item, "cancelRequestedAt"),
            Owner = Str(item, "owner") ?? JobTable.AnonymousOwner,
            StartBy = Time(item, "startBy"),
            Deferrals = (int)(Num(item, "deferrals") ?? 0),
            Dispatch = (int)(Num(item, "dispatch") ?? 1),
            DueAt = Num(item, "dueAt") is { } due ? DateTimeOffset.FromUnixTimeMilliseconds(due) : null,
            SlotAt = Num(item, "slotAt") is { } slot ? DateTimeOffset.FromUnixTimeMilliseconds(slot) : null,
            CachedFrom = Str(item, "cachedFrom"),
            BatchId = Str(item, "batchId"),
            BatchIndex = Num(item, "batchIndex") is { } index ? (int)index : null,
            ClientId = Str(item, "clientId"),
            Metadata = item.TryGetValue("metadata", out var md) && md.M is { } mdMap ? mdMap.ToDictionary(p => p.Key, p => p.Value.S) : null,
            Output = item.TryGetValue("output", out var o) && o.M is { } om ? new Batches.OutputLocation(Required(om, "bucket"), Required(om, "key")) : null,
            BatchCounted = item.TryGetValue("batchCounted", out var counted) && counted.BOOL == true,
        };
    }

    /// <summary>The <c>images</c> list of a job or cache item.</summary>
    public static IReadOnlyList<JobImage> ReadImages(Dictionary<string, AttributeValue> item) =>
        item.TryGetValue("images", out var images) && images.L is { } list
            ? list.Select(i => new JobImage(
                Required(i.M, "bucket"),
                Required(i.M, "key"),
                Required(i.M, "sha256"),
                Num(i.M, "bytes") ?? 0,
                (int)(Num(i.M, "width") ?? 0),
                (int)(Num(i.M, "height") ?? 0),
                Num(i.M, "seed") ?? 0)).ToList()
            : [];

    private static void AddIfPresent(Dictionary<string, AttributeValue> item, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            item[name] = S(value);
        }
    }

    internal static string? Str(Dictionary<string, AttributeValue> item, string name) =>
        item.TryGetValue(name, out var value) ? value.S : null;

    internal static string Required(Dictionary<string, AttributeValue> item, string name) =>
        Str(item, name) ?? throw new InvalidDataException($"Job item has no '{name}'.");

    internal static long? Num(Dictionary<string, AttributeValue> item, string name) =>
        item.TryGetValue(name, out var value) && value.N is { } n ? long.Parse(n, CultureInfo.InvariantCulture) : null;

    internal static DateTimeOffset? Time(Dictionary<string, AttributeValue> item, string name) =>
        Str(item, name) is { } text
            ? DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal)
            : null;
}
