namespace Jobs.Local.AwsCalls;

/// <summary>Records each request that passes, after its answer, so the status is known.</summary>
internal sealed class AwsCallRecordingHandler(string function, AwsCallRecorder recorder, HttpMessageHandler inner) : DelegatingHandler(inner)
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var call = await AwsRequestReader.ReadAsync(request, cancellationToken).ConfigureAwait(false);
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        recorder.Add(call with { Function = function, Status = (int)response.StatusCode });
        return response;
    }
}
