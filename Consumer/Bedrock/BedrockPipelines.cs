using Polly;
using Polly.Registry;

namespace Jobs.Consumer.Bedrock;

/// <summary>
/// One resilience pipeline per model, so a failing model's open circuit does not stop calls to
/// the others. Lives as long as the Lambda execution environment, like the circuit state it keeps.
/// </summary>
public sealed class BedrockPipelines(BedrockOptions options, TimeProvider time) : IDisposable
{
    private readonly ResiliencePipelineRegistry<string> _registry = new();

    public ResiliencePipeline For(string modelId) =>
        _registry.GetOrAddPipeline(modelId, (builder, _) => builder.AddPipeline(BedrockResilience.Create(options, time)));

    public void Dispose() => _registry.Dispose();
}
