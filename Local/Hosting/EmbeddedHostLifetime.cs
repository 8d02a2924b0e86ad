using Microsoft.Extensions.Hosting;

namespace Jobs.Local.Hosting;

/// <summary>
/// The lifetime of a web host that is one part of the local stack. ASP.NET Core's default console
/// lifetime takes Ctrl+C and SIGTERM for itself (and cancels them), so the process would keep
/// running; with this one the signal reaches the command line, which disposes the whole stack.
/// </summary>
internal sealed class EmbeddedHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
