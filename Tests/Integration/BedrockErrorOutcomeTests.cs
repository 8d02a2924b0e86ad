using Jobs.Local.FakeBedrock;
using Jobs.Consumer.Bedrock;
using Jobs.Shared.Jobs;
using Jobs.Tests.Support;

namespace Jobs.Tests.Integration;

/// <summary>
/// Each Bedrock error type, answered once by the fake Bedrock in Bedrock's own shape, and what
/// becomes of the job: retried within the invocation and finished, or failed at once with a code.
/// </summary>
public sealed class BedrockErrorOutcomeTests
{
    [TestCase(BedrockErrors.Throttling)]
    [TestCase(BedrockErrors.ModelNotReady)]
    [TestCase(BedrockErrors.ServiceUnavailable)]
    [TestCase(BedrockErrors.InternalServer)]
    [TestCase(BedrockErrors.ModelTimeout)]
    public async Task A_passing_error_is_retried_with_backoff_and_the_job_succeeds(string type)
    {
        var stack = await TestStack.GetAsync();
        using var api = new ApiCalls(stack);
        var callsBefore = stack.Bedrock.Calls;
        stack.Bedrock.Options.InjectedErrors.Enqueue(FakeBedrockError.Of(type));

        var job = await api.SubmitAsync($"retry through a {type}");
        var done = await api.WaitForFinalAsync(job.Id);

        Assert.That(done.Status, Is.EqualTo(JobStatus.Succeeded), done.Error?.Message);
        Assert.That(done.Attempts, Is.EqualTo(1), "the retry happened inside the one attempt");
        Assert.That(stack.Bedrock.Calls - callsBefore, Is.EqualTo(2));
    }

    [TestCase(BedrockErrors.Validation, JobErrorCodes.InvalidRequest)]
    [TestCase(BedrockErrors.AccessDenied, JobErrorCodes.ModelAccessDenied)]
    [TestCase(BedrockErrors.ResourceNotFound, JobErrorCodes.ModelNotFound)]
    [TestCase(BedrockErrors.ServiceQuotaExceeded, JobErrorCodes.InvalidRequest)]
    [TestCase(BedrockErrors.ModelError, JobErrorCodes.ModelError)]
    public async Task A_final_error_fails_the_job_at_once_with_its_code_and_a_notice(string type, string code)
    {
        var stack = await TestStack.GetAsync();
        var inbox = await TestStack.InboxAsync();
        using var api = new ApiCalls(stack);
        var callsBefore = stack.Bedrock.Calls;
        stack.Bedrock.Options.InjectedErrors.Enqueue(FakeBedrockError.Of(type));

        var job = await api.SubmitAsync($"fail on a {type}");
        var done = await api.WaitForFinalAsync(job.Id);
        var notice = await inbox.WaitForAsync(job.Id, "job.failed", TimeSpan.FromSeconds(20), CancellationToken.None);

        Assert.That(done.Status, Is.EqualTo(JobStatus.Failed));
        Assert.That(done.Error!.Code, Is.EqualTo(code));
        Assert.That(done.Error.Message, Does.StartWith(type + ": "));
        Assert.That(stack.Bedrock.Calls - callsBefore, Is.EqualTo(1), "a final error is not retried");
        Assert.That(notice?.Subject, Is.EqualTo($"Image job {job.Id} failed: {code}"));
        Assert.That(notice!.Attributes["status"], Is.EqualTo("failed"));
    }

    [Test]
    public async Task A_model_past_its_end_of_life_fails_with_model_not_found()
    {
        var stack = await TestStack.GetAsync();
        using var api = new ApiCalls(stack);
        stack.Bedrock.Options.EndOfLifeModels.Add("amazon.titan-image-generator-v2:0");
        try
        {
            var job = await api.SubmitAsync("a retired model", "\"model\":\"amazon.titan-image-generator-v2:0\"");
            var done = await api.WaitForFinalAsync(job.Id);

            Assert.That(done.Error!.Code, Is.EqualTo(JobErrorCodes.ModelNotFound));
            Assert.That(done.Error.Message, Does.Contain("end of its life"));
        }
        finally
        {
            stack.Bedrock.Options.EndOfLifeModels.Clear();
        }
    }
}
