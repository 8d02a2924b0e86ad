using System.Text.Json;
using Jobs.Shared.Jobs;
using Jobs.Shared.Json;

namespace Jobs.Consumer.Jobs;

/// <summary>Reads the job id out of a queue message body; null for anything that is not a job message.</summary>
public static class JobMessageReader
{
    public static string? ReadJobId(string body)
    {
        try
        {
            var message = JsonSerializer.Deserialize(body, JobsJsonContext.Default.JobMessage);
            return JobIds.IsWellFormed(message?.JobId) ? message!.JobId : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
