using System.Net.Http.Headers;
using System.Text.Json;

namespace Jobs.Consumer.Bedrock;

/// <summary>
/// Bedrock Runtime's <c>InvokeModel</c> over REST-JSON (<c>POST /model/{modelId}/invoke</c>). It
/// stands in for AWSSDK.BedrockRuntime, which this build cannot reach. The model id is one path
/// segment, so ':' and '/' are percent-encoded; the <see cref="HttpClient"/> it is given signs with
/// signing name <c>bedrock</c>, which encodes the path once more for the canonical request.
/// </summary>
public sealed class BedrockRuntimeClient(HttpClient http, BedrockOptions options) : IBedrockRuntime
{
    public async Task<byte[]> InvokeModelAsync(string modelId, byte[] body, CancellationToken cancellationToken)
    {
        using var request = BuildRequest(modelId, body);
        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var content = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            return content;
        }

        throw ReadError(response, content);
    }

    internal HttpRequestMessage BuildRequest(string modelId, byte[] body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"model/{Uri.EscapeDataString(modelId)}/invoke", UriKind.Relative))
        {
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (!string.IsNullOrEmpty(options.GuardrailIdentifier))
        {
            request.Headers.Add("X-Amzn-Bedrock-GuardrailIdentifier", options.GuardrailIdentifier);
            request.Headers.Add("X-Amzn-Bedrock-GuardrailVersion", options.GuardrailVersion ?? "DRAFT");
        }

        return request;
    }

    internal static BedrockException ReadError(HttpResponseMessage response, byte[] content)
    {
        string? type = null;
        if (response.Headers.TryGetValues("x-amzn-ErrorType", out var values))
        {
            type = values.FirstOrDefault()?.Split(':')[0];
        }

        var message = string.Empty;
        try
        {
            using var document = JsonDocument.Parse(content);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                if (root.TryGetProperty("message", out var m) || root.TryGetProperty("Message", out m))
                {
                    message = m.GetString() ?? string.Empty;
                }

                if (type is null && root.TryGetProperty("__type", out var t))
                {
                    var text = t.GetString() ?? string.Empty;
                    type = text[(text.LastIndexOf('#') + 1)..].Split(':')[0];
                }
            }
        }
        catch (JsonException)
        {
            message = System.Text.Encoding.UTF8.GetString(content);
        }

        var status = (int)response.StatusCode;
        type ??= status switch
        {
            429 => BedrockErrors.Throttling,
            >= 500 => BedrockErrors.InternalServer,
            _ => "UnknownError",
        };
        return new BedrockException(type, status, message);
    }
}
