using System.Text.Json;
using Jobs.Shared.Batches;
using Jobs.Shared.Jobs;

namespace Jobs.Consumer.Batches;

/// <summary>Tells a batch step's message from a job's: only a body naming a well-formed <c>batchId</c> is one.</summary>
public static class BatchMessageReader
{
    public static BatchMessage? Read(string body)
    {
        if (string.IsNullOrEmpty(body) || !body.Contains("\"batchId\"", StringComparison.Ordinal))
        {
            return null;
        }

        try
        {
            var message = JsonSerializer.Deserialize(body, BatchJsonContext.Default.BatchMessage);
            return message is not null && JobIds.IsWellFormed(message.BatchId) && message.Step >= 0 ? message : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
