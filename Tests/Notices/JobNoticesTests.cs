using Jobs.Shared.Jobs;
using Jobs.Consumer.Notices;

namespace Jobs.Tests.Notices;

public sealed class JobNoticesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 15, 12, 0, 0, TimeSpan.Zero);

    private static Job Finished(JobStatus status, JobError? error = null) => new()
    {
        Id = "01900000-0000-7000-8000-000000000001",
        Status = status,
        Request = new JobRequest { Prompt = "p", Model = "stability.stable-image-core-v1:1" },
        CreatedAt = T0,
        UpdatedAt = T0.AddSeconds(9),
        StartedAt = T0.AddSeconds(2),
        CompletedAt = T0.AddSeconds(9),
        Attempts = 1,
        Error = error,
        Images = status == JobStatus.Succeeded ? [new JobImage("bucket", "images/x/0.png", "ab", 3, 1, 1, 5)] : [],
        ExpiresAt = T0.AddDays(30),
    };

    [Test]
    public void A_succeeded_notice_has_S3_uris_timings_and_a_stable_event_id()
    {
        var notice = JobNotices.For(Finished(JobStatus.Succeeded));

        Assert.That(notice.Type, Is.EqualTo("job.succeeded"));
        Assert.That(notice.Images, Is.EqualTo(new[] { "s3://bucket/images/x/0.png" }));
        Assert.That((notice.TotalMs, notice.RunMs), Is.EqualTo((9000L, 7000L)));
        Assert.That(notice.EventId, Is.EqualTo(JobNotices.For(Finished(JobStatus.Succeeded)).EventId));
        Assert.That(notice.Error, Is.Null);
    }

    [Test]
    public void A_failed_notice_carries_the_error_and_says_it_in_the_subject()
    {
        var notice = JobNotices.For(Finished(JobStatus.Failed, new JobError(JobErrorCodes.ContentFiltered, "Filter reason: prompt")));

        Assert.That(notice.Type, Is.EqualTo("job.failed"));
        Assert.That(notice.Error!.Code, Is.EqualTo(JobErrorCodes.ContentFiltered));
        Assert.That(JobNotices.Subject(notice), Does.Contain("failed: content_filtered"));
        Assert.That(notice.EventId, Is.Not.EqualTo(JobNotices.For(Finished(JobStatus.Succeeded)).EventId));
    }

    [Test]
    public void Notices_are_only_for_final_statuses() =>
        Assert.Throws<ArgumentException>(() => JobNotices.For(Finished(JobStatus.Running)));

    [Test]
    public void The_subject_fits_SNS_rules_for_email()
    {
        var subject = JobNotices.Subject(JobNotices.For(Finished(JobStatus.Failed, new JobError(new string('é', 200), "m"))));

        Assert.That(subject.Length, Is.LessThanOrEqualTo(100));
        Assert.That(subject.All(c => c is >= ' ' and <= '~'), Is.True);
    }
}
