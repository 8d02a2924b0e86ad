using Jobs.Consumer;

namespace Jobs.Tests.Consumer;

/// <summary>The consumer refuses to start misconfigured, naming every bad setting at once.</summary>
public sealed class ConsumerSettingsTests
{
    private static readonly Dictionary<string, string> Good = new()
    {
        ["JOBS_DEAD_LETTER_QUEUE_ARN"] = "arn:aws:sqs:us-east-1:123456789012:jobs-dlq",
        ["JOBS_TOPIC_ARN"] = "arn:aws:sns:us-east-1:123456789012:job-events",
    };

    [Test]
    public void A_complete_configuration_has_no_problems()
    {
        var settings = ConsumerSettings.FromEnvironment(Good.GetValueOrDefault);

        Assert.That(settings.Problems(), Is.Empty);
        Assert.That(settings.Consumer.DeadLetterQueueArn, Is.EqualTo(Good["JOBS_DEAD_LETTER_QUEUE_ARN"]));
    }

    [Test]
    public void The_batch_share_is_read_and_defaults_to_a_tenth()
    {
        var fallback = ConsumerSettings.FromEnvironment(Good.GetValueOrDefault);
        var set = ConsumerSettings.FromEnvironment(new Dictionary<string, string>(Good) { ["JOBS_BULK_SHARE"] = "0.25" }.GetValueOrDefault);

        Assert.That((fallback.Pace.BulkShare, set.Pace.BulkShare), Is.EqualTo((0.1, 0.25)));
        Assert.That(set.Problems(), Is.Empty);
    }

    [Test]
    public void Without_the_dead_letter_queue_arn_the_consumer_does_not_start()
    {
        var environment = Good.Where(e => e.Key != "JOBS_DEAD_LETTER_QUEUE_ARN").ToDictionary();

        var problems = ConsumerSettings.FromEnvironment(environment.GetValueOrDefault).Problems();

        Assert.That(problems, Has.Exactly(1).StartsWith("JOBS_DEAD_LETTER_QUEUE_ARN is not set to an SQS queue ARN"));
    }

    [Test]
    public void Every_bad_setting_is_reported_together_each_naming_its_variable()
    {
        var environment = new Dictionary<string, string>(Good)
        {
            ["JOBS_DEAD_LETTER_QUEUE_ARN"] = "arn:aws:sns:us-east-1:123456789012:not-a-queue",
            ["JOBS_CONSUMER_CONCURRENCY"] = "eleven",
            ["JOBS_MAX_ATTEMPTS"] = "0",
            ["JOBS_RECONCILE_MARGIN_SECONDS"] = "3",
            ["JOBS_JOB_DEADLINE_HOURS"] = "-1",
            ["JOBS_GUARDRAIL_ID"] = "gr-1",
            ["JOBS_BULK_SHARE"] = "0.95",
        };

        var problems = ConsumerSettings.FromEnvironment(environment.GetValueOrDefault).Problems();

        Assert.That(problems.Select(p => p.Split(' ')[0]), Is.EquivalentTo(new[]
        {
            "JOBS_CONSUMER_CONCURRENCY", "JOBS_DEAD_LETTER_QUEUE_ARN", "JOBS_MAX_ATTEMPTS", "JOBS_RECONCILE_MARGIN_SECONDS", "JOBS_JOB_DEADLINE_HOURS", "JOBS_GUARDRAIL_ID", "JOBS_BULK_SHARE",
        }));
        Assert.That(problems, Has.Some.EqualTo("JOBS_CONSUMER_CONCURRENCY must be a whole number (it is 'eleven')."));
    }
}
