using System.Text.Json;
using Jobs.Shared.Jobs;
using Jobs.Shared.Json;
using Jobs.Shared.Queue;

namespace Jobs.Consumer.Jobs;

/// <summary>Reads a queue message body; null for anything that is not a job message.</summary>
public static class JobMessageReader
{
    public static JobMessage? Read(string body)
    {
        try
        {
            var message = JsonSerializer.Deserialize(body, JobsJsonContext.Default.JobMessage);
            return message is not null && JobIds.IsWellFormed(message.JobId) && message.Dispatch >= 1 ? message : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
