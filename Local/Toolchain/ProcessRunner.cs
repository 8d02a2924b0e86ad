using System.Diagnostics;
using System.Text;

namespace Jobs.Local.Toolchain;

/// <summary>Runs an install command to completion and fails with its output when it fails.</summary>
public static class ProcessRunner
{
    public static async Task RunAsync(string fileName, IEnumerable<string> arguments, string workingDirectory, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // npm's update check runs in a detached child that inherits stdout; it would hold the
        // pipe open (and this call with it) long after npm itself has finished.
        start.Environment["npm_config_update_notifier"] = "false";

        using var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var exited = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.Exited += (_, _) => exited.TrySetResult();
        if (!process.Start())
        {
            throw new InvalidOperationException($"Could not start {fileName}.");
        }

        process.StandardInput.Close();
        var output = new StringBuilder();
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            await exited.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        // Whatever a lingering grandchild still holds open is not worth waiting for.
        var streams = Task.WhenAll(stdout, stderr);
        if (await Task.WhenAny(streams, Task.Delay(TimeSpan.FromSeconds(5), CancellationToken.None)).ConfigureAwait(false) == streams)
        {
            output.Append(await stdout.ConfigureAwait(false)).Append(await stderr.ConfigureAwait(false));
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"'{fileName} {string.Join(' ', start.ArgumentList)}' exited with {process.ExitCode}:\n{output}");
        }
    }
}
