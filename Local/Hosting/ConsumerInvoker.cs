using Jobs.Shared.Lambda;

namespace Jobs.Local.Hosting;

/// <summary>
/// How the local event source mappings reach the consumer: in process (its handler), or through
/// the Lambda Runtime API to the packaged <c>bootstrap</c> (the soak). A failed or killed
/// invocation throws, and the mapping then deletes nothing, as Lambda's does.
/// </summary>
public delegate Task<SqsBatchResponse> ConsumerInvoker(SqsEvent batch, LambdaContext context, CancellationToken cancellationToken);
