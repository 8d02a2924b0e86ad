namespace Jobs.Consumer.Bedrock;

/// <summary>Bedrock Runtime's <c>InvokeModel</c>: a JSON body in, a JSON body out, or a <see cref="BedrockException"/>.</summary>
public interface IBedrockRuntime
{
    Task<byte[]> InvokeModelAsync(string modelId, byte[] body, CancellationToken cancellationToken);
}
