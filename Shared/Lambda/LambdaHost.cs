using System.Runtime.InteropServices;
using System.Text.Json.Serialization.Metadata;
using Jobs.Shared.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Jobs.Shared.Lambda;

/// <summary>
/// The <c>bootstrap</c> entry point of a function: reads and validates the configuration, builds
/// the services, and runs the runtime loop. A configuration problem is reported through the
/// Runtime API's <c>/init/error</c> (so it shows in the function's logs and metrics) and the
/// process exits non-zero, as Lambda expects.
/// </summary>
public static class LambdaHost
{
    public static async Task<int> RunAsync<TEvent, TResult>(
        Func<JobsSettings, IReadOnlyList<string>> validate,
        Action<IServiceCollection> configure,
        Func<IServiceProvider, Func<TEvent, LambdaContext, CancellationToken, Task<TResult>>> handler,
        JsonTypeInfo<TEvent> eventType,
        JsonTypeInfo<TResult> resultType)
    {
        ArgumentNullException.ThrowIfNull(validate);
        ArgumentNullException.ThrowIfNull(configure);
        ArgumentNullException.ThrowIfNull(handler);
        var runtimeApi = Environment.GetEnvironmentVariable("AWS_LAMBDA_RUNTIME_API");
        if (string.IsNullOrEmpty(runtimeApi))
        {
            await Console.Error.WriteLineAsync("AWS_LAMBDA_RUNTIME_API is not set: this program runs as a Lambda custom runtime.").ConfigureAwait(false);
            return 2;
        }

        var api = LambdaRuntimeApiClient.Create(runtimeApi);
        using var stopping = new CancellationTokenSource();
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stopping.Cancel();
        });

        ServiceProvider services;
        Func<TEvent, LambdaContext, CancellationToken, Task<TResult>> function;
        try
        {
            var settings = JobsSettings.FromEnvironment(Environment.GetEnvironmentVariable);
            var problems = validate(settings);
            if (problems.Count > 0)
            {
                throw new InvalidOperationException("The function is not configured: " + string.Join(" ", problems));
            }

            var collection = new ServiceCollection();
            collection.AddJobsLogging();
            collection.AddJobsCore(settings);
            configure(collection);
            services = collection.BuildServiceProvider();
            function = handler(services);
        }
        catch (Exception ex)
        {
            await Console.Error.WriteLineAsync(ex.Message).ConfigureAwait(false);
            await api.ReportInitErrorAsync(LambdaError.From(ex), CancellationToken.None).ConfigureAwait(false);
            return 1;
        }

        await using (services.ConfigureAwait(false))
        {
            var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Jobs.Lambda");
            var loop = new LambdaRuntimeLoop<TEvent, TResult>(api, function, eventType, resultType, services.GetRequiredService<TimeProvider>(), logger);
            await loop.RunAsync(stopping.Token).ConfigureAwait(false);
        }

        return 0;
    }
}
