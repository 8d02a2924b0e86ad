using System.Net;
using System.Text;
using Jobs.Consumer.Bedrock;
using Jobs.Tests.Support;

namespace Jobs.Tests.Bedrock;

public sealed class BedrockRuntimeClientTests
{
    private static BedrockRuntimeClient Client(CapturingHandler handler, BedrockOptions? options = null) =>
        new(new HttpClient(handler) { BaseAddress = new Uri("https://bedrock-runtime.us-west-2.amazonaws.com/") }, options ?? new BedrockOptions());

    [Test]
    public void The_error_type_comes_from_the_header_before_the_colon()
    {
        var handler = new CapturingHandler(_ =>
        {
            var response = new HttpResponseMessage((HttpStatusCode)429) { Content = new StringContent("{\"message\":\"Too many requests, please wait before trying again.\"}") };
            response.Headers.TryAddWithoutValidation("x-amzn-ErrorType", "ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/");
            return response;
        });

        var error = Assert.ThrowsAsync<BedrockException>(() => Client(handler).InvokeModelAsync("m", [], CancellationToken.None));

        Assert.That(error!.ErrorType, Is.EqualTo("ThrottlingException"));
        Assert.That(error.StatusCode, Is.EqualTo(429));
        Assert.That(error.BedrockMessage, Does.StartWith("Too many requests"));
        Assert.That(error.IsCapacity, Is.True);
    }

    [Test]
    public void Without_the_header_the_error_type_comes_from_the_body()
    {
        var handler = new CapturingHandler(_ => new HttpResponseMessage(HttpStatusCode.BadRequest)
        {
            Content = new StringContent("{\"__type\":\"com.amazon.bedrock#ValidationException\",\"message\":\"bad\"}"),
        });

        var error = Assert.ThrowsAsync<BedrockException>(() => Client(handler).InvokeModelAsync("m", [], CancellationToken.None));

        Assert.That(error!.ErrorType, Is.EqualTo("ValidationException"));
        Assert.That(error.IsRetryable, Is.False);
    }

    [Test]
    public async Task A_configured_guardrail_is_sent_as_headers()
    {
        var handler = new CapturingHandler();

        await Client(handler, new BedrockOptions { GuardrailIdentifier = "gr-123", GuardrailVersion = "2" }).InvokeModelAsync("m", "{}"u8.ToArray(), CancellationToken.None);

        Assert.That(handler.Request!.Headers.GetValues("X-Amzn-Bedrock-GuardrailIdentifier").Single(), Is.EqualTo("gr-123"));
        Assert.That(handler.Request.Headers.GetValues("X-Amzn-Bedrock-GuardrailVersion").Single(), Is.EqualTo("2"));
    }

    [Test]
    public async Task A_model_arn_is_one_path_segment()
    {
        var handler = new CapturingHandler();

        await Client(handler).InvokeModelAsync("arn:aws:bedrock:us-west-2::foundation-model/stability.sd3-5-large-v1:0", "{}"u8.ToArray(), CancellationToken.None);

        Assert.That(handler.Request!.RequestUri!.AbsolutePath, Is.EqualTo("/model/arn%3Aaws%3Abedrock%3Aus-west-2%3A%3Afoundation-model%2Fstability.sd3-5-large-v1%3A0/invoke"));
        Assert.That(Encoding.UTF8.GetString(handler.Body), Is.EqualTo("{}"));
        Assert.That(handler.Request.Content!.Headers.ContentType!.ToString(), Is.EqualTo("application/json"));
    }
}
