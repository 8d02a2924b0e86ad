using System.Text.Json;
using System.Text.Json.Nodes;

namespace Jobs.Local.AwsCalls;

/// <summary>
/// Records each request that passes, after its answer, so the status is known. When the recorder
/// measures capacity, a DynamoDB request also asks for its consumed capacity (table and indexes),
/// which DynamoDB Local computes as DynamoDB bills it, so the benchmark can count write units.
/// </summary>
internal sealed class AwsCallRecordingHandler(string function, AwsCallRecorder recorder, HttpMessageHandler inner) : DelegatingHandler(inner)
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var call = await AwsRequestReader.ReadAsync(request, cancellationToken).ConfigureAwait(false);
        var measure = recorder.MeasureCapacity && call.Service == "dynamodb" && request.Content is not null;
        if (measure)
        {
            // DynamoDB Local does not check signatures, so the body can gain one field after signing.
            await AskForCapacityAsync(request, cancellationToken).ConfigureAwait(false);
        }

        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var units = measure ? await ConsumedUnitsAsync(response, cancellationToken).ConfigureAwait(false) : 0;
        recorder.Add(call with { Function = function, Status = (int)response.StatusCode, CapacityUnits = units });
        return response;
    }

    private static async Task AskForCapacityAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = JsonNode.Parse(await request.Content!.ReadAsStringAsync(cancellationToken).ConfigureAwait(false))!.AsObject();
        body["ReturnConsumedCapacity"] = "INDEXES";
        var headers = request.Content.Headers.ToList();
        request.Content = new StringContent(body.ToJsonString());
        request.Content.Headers.Clear();
        foreach (var (name, values) in headers.Where(h => !h.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)))
        {
            request.Content.Headers.TryAddWithoutValidation(name, values);
        }
    }

    /// <summary>The capacity units the answer reports (one table, or the sum of a batch's tables).</summary>
    private static async Task<double> ConsumedUnitsAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var headers = response.Content.Headers.ToList();
        response.Content = new ByteArrayContent(bytes);
        foreach (var (name, values) in headers)
        {
            response.Content.Headers.TryAddWithoutValidation(name, values);
        }

        try
        {
            return JsonNode.Parse(bytes)?["ConsumedCapacity"] switch
            {
                JsonObject one => one["CapacityUnits"]?.GetValue<double>() ?? 0,
                JsonArray many => many.Sum(c => c?["CapacityUnits"]?.GetValue<double>() ?? 0),
                _ => 0,
            };
        }
        catch (JsonException)
        {
            return 0;
        }
    }
}
