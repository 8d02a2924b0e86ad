using System.Text.RegularExpressions;
using Amazon.DynamoDBv2.Model;
using Jobs.Local.LambdaRuntime;
using Jobs.Shared.Jobs;
using Jobs.Shared.Storage;

namespace Jobs.Tests.Storage;

/// <summary>
/// The job item's attributes are a contract with whoever queries the table: the README documents
/// them, and this test keeps the document and the code equal, so the schema changes only on purpose.
/// </summary>
public sealed partial class JobItemSchemaTests
{
    [Test]
    public void The_READMEs_item_schema_is_what_the_code_writes()
    {
        var readme = File.ReadAllText(Path.Combine(LambdaPackages.RepositoryRoot, "README.md"));
        var section = Section().Match(readme);
        Assert.That(section.Success, Is.True, "README.md has the table between <!-- item-schema --> markers");
        var documented = Row().Matches(section.Groups[1].Value).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);

        var written = JobItemMapper.ToItem(EveryAttributeSet()).ToDictionary(a => a.Key, a => TypeOf(a.Value));

        Assert.That(documented, Is.EqualTo(written));
    }

    [Test]
    public void A_job_with_every_attribute_set_reads_back_as_it_was_written()
    {
        var job = EveryAttributeSet();

        var read = JobItemMapper.FromItem(JobItemMapper.ToItem(job));

        Assert.That(read with { Images = job.Images, Metadata = job.Metadata }, Is.EqualTo(job));
        Assert.That(read.Request.Inputs, Is.EqualTo(job.Request.Inputs));
        Assert.That(read.Request.Parameters, Is.EqualTo(job.Request.Parameters));
        Assert.That(read.Images, Is.EqualTo(job.Images));
        Assert.That(read.Metadata, Is.EqualTo(job.Metadata));
    }

    private static Job EveryAttributeSet()
    {
        var at = new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);
        return new Job
        {
            Id = "01a2220b-73b9-775f-894d-c555c0a38621",
            Status = JobStatus.Succeeded,
            Request = new JobRequest
            {
                Prompt = "p", NegativePrompt = "n", Model = "m", AspectRatio = "1:1", Width = 1024, Height = 1024,
                Seed = 7, Count = 1, OutputFormat = "png", Style = "photographic", Quality = "premium", CfgScale = 7.5, Steps = 30,
                Task = "inpaint",
                Inputs = [new JobInput("image", "0190d8f1a2b34c5d8e9f0a1b2c3d4e5f") { Key = "uploads/ab/0190d8f1a2b34c5d8e9f0a1b2c3d4e5f", Sha256 = new string('a', 64), Format = "png", Width = 512, Height = 384, Bytes = 1234 }],
                Parameters = new Dictionary<string, string> { ["growMask"] = "5" },
            },
            CreatedAt = at,
            UpdatedAt = at.AddSeconds(3),
            ExpiresAt = at.AddDays(30),
            Dispatch = 2,
            Attempts = 1,
            Deferrals = 1,
            DueAt = at.AddSeconds(1),
            SlotAt = at.AddSeconds(1),
            LeaseExpiresAt = at.AddMinutes(2),
            StartedAt = at.AddSeconds(1),
            CompletedAt = at.AddSeconds(3),
            NotifiedAt = at.AddSeconds(3),
            CancelRequestedAt = at.AddSeconds(2),
            StartBy = at.AddMinutes(10),
            IdempotencyKey = "k",
            CachedFrom = "01a2220b-0000-7000-8000-000000000000",
            Error = new JobError("throttled", "m"),
            Images = [new JobImage("b", "k", "ab", 10, 2, 3, 4)],
            BatchId = "01a2220b-1111-7000-8000-000000000000",
            BatchIndex = 12,
            ClientId = "A0013",
            Metadata = new Dictionary<string, string> { ["rank"] = "vip" },
            Output = new("outputs", "cards/A0013.png"),
        };
    }

    private static string TypeOf(AttributeValue value) =>
        value.S is not null ? "S" : value.N is not null ? "N" : value.M is { Count: > 0 } ? "M" : value.L is { Count: > 0 } ? "L" : "?";

    [GeneratedRegex(@"<!-- item-schema -->(.*?)<!-- /item-schema -->", RegexOptions.Singleline)]
    private static partial Regex Section();

    [GeneratedRegex(@"^\| `(\w+)` \| (\w) \|", RegexOptions.Multiline)]
    private static partial Regex Row();
}
