using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Jobs.Shared.Jobs;

namespace Jobs.Consumer.Bedrock;

/// <summary>Reading a model's answer: an unreadable body is the model's fault, never a retry.</summary>
internal static class FamilyJson
{
    public static T Read<T>(byte[] body, JsonTypeInfo<T> type)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize(body, type)
                ?? throw new ImageGenerationException(new JobError(JobErrorCodes.ModelError, "The model's answer was empty."), isRetryable: false);
        }
        catch (JsonException ex)
        {
            throw new ImageGenerationException(new JobError(JobErrorCodes.ModelError, "The model's answer was not valid JSON."), isRetryable: false, ex);
        }
    }

    public static byte[] Decode(string base64)
    {
        try
        {
            return Convert.FromBase64String(base64);
        }
        catch (FormatException ex)
        {
            throw new ImageGenerationException(new JobError(JobErrorCodes.ModelError, "The model's image was not valid base64."), isRetryable: false, ex);
        }
    }
}
