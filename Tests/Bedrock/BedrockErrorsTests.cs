using Jobs.Consumer.Bedrock;
using Jobs.Shared.Jobs;

namespace Jobs.Tests.Bedrock;

public sealed class BedrockErrorsTests
{
    [TestCase("ThrottlingException", 429, true)]
    [TestCase("ModelNotReadyException", 429, true)]
    [TestCase("ServiceUnavailableException", 503, true)]
    [TestCase("InternalServerException", 500, true)]
    [TestCase("ModelTimeoutException", 408, true)]
    [TestCase("ValidationException", 400, false)]
    [TestCase("AccessDeniedException", 403, false)]
    [TestCase("ResourceNotFoundException", 404, false)]
    [TestCase("ServiceQuotaExceededException", 400, false)]
    [TestCase("ModelErrorException", 424, false)]
    [TestCase("SomethingNewException", 502, true)]
    [TestCase("SomethingNewException", 400, false)]
    public void Retryability_follows_Bedrocks_error_types(string type, int status, bool retryable) =>
        Assert.That(new BedrockException(type, status, "m").IsRetryable, Is.EqualTo(retryable));

    [TestCase("ValidationException", "This request has been blocked by our content filters.", JobErrorCodes.ContentFiltered)]
    [TestCase("ValidationException", "Malformed input request: #/prompt", JobErrorCodes.InvalidRequest)]
    [TestCase("AccessDeniedException", "You don't have access to the model", JobErrorCodes.ModelAccessDenied)]
    [TestCase("ResourceNotFoundException", "This model version has reached the end of its life.", JobErrorCodes.ModelNotFound)]
    [TestCase("ModelErrorException", "boom", JobErrorCodes.ModelError)]
    public void Final_errors_map_to_a_clear_job_error_code(string type, string message, string code) =>
        Assert.That(BedrockErrors.ToJobError(new BedrockException(type, 400, message)).Code, Is.EqualTo(code));
}
