using Jobs.Shared.Configuration;

namespace Jobs.Tests.Jobs;

/// <summary>The settings both functions read: the presigned URL lifetime within what SigV4 can sign.</summary>
public sealed class JobsSettingsTests
{
    private static readonly Dictionary<string, string> Required = new()
    {
        ["JOBS_TABLE_NAME"] = "jobs",
        ["JOBS_BUCKET"] = "images",
        ["JOBS_QUEUE_URL"] = "http://127.0.0.1/000000000000/jobs",
    };

    [Test]
    public void The_presigned_URL_lifetime_is_read_in_minutes_and_defaults_to_an_hour()
    {
        var configured = JobsSettings.FromEnvironment(new Dictionary<string, string>(Required) { ["JOBS_PRESIGNED_URL_MINUTES"] = "15" }.GetValueOrDefault);
        var defaulted = JobsSettings.FromEnvironment(Required.GetValueOrDefault);

        Assert.That(configured.Images.PresignedUrlLifetime, Is.EqualTo(TimeSpan.FromMinutes(15)));
        Assert.That(configured.Problems(needsQueue: true), Is.Empty);
        Assert.That(defaulted.Images.PresignedUrlLifetime, Is.EqualTo(TimeSpan.FromHours(1)));
    }

    [TestCase("0")]
    [TestCase("10081")]
    [TestCase("an hour")]
    public void A_lifetime_SigV4_cannot_sign_stops_the_start_naming_the_variable(string minutes)
    {
        var settings = JobsSettings.FromEnvironment(new Dictionary<string, string>(Required) { ["JOBS_PRESIGNED_URL_MINUTES"] = minutes }.GetValueOrDefault);

        Assert.That(settings.Problems(needsQueue: true), Has.One.Contains("JOBS_PRESIGNED_URL_MINUTES"));
    }

    [TestCase("c2hvcnQ=", TestName = "A cursor key of five bytes")]
    [TestCase("not base64!", TestName = "A cursor key that is not base64")]
    public void A_cursor_key_too_short_to_sign_stops_the_start_naming_the_variable(string key)
    {
        var settings = JobsSettings.FromEnvironment(new Dictionary<string, string>(Required) { ["JOBS_CURSOR_KEY"] = key }.GetValueOrDefault);

        Assert.That(settings.Problems(needsQueue: true), Has.One.Contains("JOBS_CURSOR_KEY"));
    }

    [Test]
    public void A_configured_cursor_key_is_shared_and_an_unset_one_is_random_per_process()
    {
        var key = Convert.ToBase64String(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray());

        var configured = JobsSettings.FromEnvironment(new Dictionary<string, string>(Required) { ["JOBS_CURSOR_KEY"] = key }.GetValueOrDefault);
        var unset = JobsSettings.FromEnvironment(Required.GetValueOrDefault);
        var unsetAgain = JobsSettings.FromEnvironment(Required.GetValueOrDefault);

        Assert.That(Convert.ToBase64String(configured.Store.CursorKey), Is.EqualTo(key));
        Assert.That(configured.Problems(needsQueue: true), Is.Empty);
        Assert.That(unset.Store.CursorKey, Has.Length.EqualTo(32).And.Not.EqualTo(unsetAgain.Store.CursorKey));
    }
}
