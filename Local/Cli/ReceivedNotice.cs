using System.Text.Json;
using System.Text.Json.Nodes;

namespace Jobs.Local.Cli;

/// <summary>A notice as a subscriber receives it: the SNS envelope, its subject and attributes, and the notice inside.</summary>
public sealed record ReceivedNotice(string EventId, string JobId, string Type, string? Subject, IReadOnlyDictionary<string, string> Attributes, JsonObject Notice, string Envelope)
{
    public static ReceivedNotice Parse(string envelopeJson)
    {
        var envelope = JsonNode.Parse(envelopeJson)!.AsObject();
        var notice = JsonNode.Parse(envelope["Message"]!.GetValue<string>())!.AsObject();
        // Published with MessageStructure=json, SNS delivers an SQS subscriber the "default" message;
        // fauxqs passes the whole per-protocol object on, so take "default" out as SNS would.
        if (notice["default"] is JsonValue perProtocol && notice["eventId"] is null)
        {
            notice = JsonNode.Parse(perProtocol.GetValue<string>())!.AsObject();
        }

        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        if (envelope["MessageAttributes"] is JsonObject attributeObject)
        {
            foreach (var (name, value) in attributeObject)
            {
                attributes[name] = value?["Value"]?.GetValue<string>() ?? string.Empty;
            }
        }

        return new ReceivedNotice(
            notice["eventId"]!.GetValue<string>(),
            (notice["jobId"] ?? notice["batchId"])!.GetValue<string>(),
            notice["type"]!.GetValue<string>(),
            envelope["Subject"]?.GetValue<string>(),
            attributes,
            notice,
            envelopeJson);
    }

    public string PrettyNotice => Notice.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
}
