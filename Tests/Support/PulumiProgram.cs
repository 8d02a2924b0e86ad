using System.Diagnostics;
using Jobs.Local.LambdaRuntime;

namespace Jobs.Tests.Support;

/// <summary>
/// The Pulumi program (TypeScript, run with Node): its npm packages installed from the lock file
/// when missing or stale, and compiled once per test run, so tests can run its tests and tools.
/// </summary>
public static class PulumiProgram
{
    private static readonly Lazy<Task> Built = new(BuildAsync);

    public static string Folder { get; } = Path.Combine(LambdaPackages.RepositoryRoot, "Infrastructure.Pulumi");

    /// <summary>Installs (if needed) and compiles the program once per run.</summary>
    public static Task EnsureBuiltAsync() => Built.Value;

    /// <summary>Runs npm in the program's folder; returns its exit code and everything it printed.</summary>
    public static Task<(int ExitCode, string Output)> NpmAsync(params string[] arguments) => RunAsync("npm", arguments);

    /// <summary>Runs node in the program's folder; returns its exit code, stdout and stderr.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> NodeAsync(params string[] arguments)
    {
        var (exitCode, stdout, stderr) = await RunSplitAsync("node", arguments).ConfigureAwait(false);
        return (exitCode, stdout, stderr);
    }

    private static async Task BuildAsync()
    {
        var installed = Path.Combine(Folder, "node_modules", ".package-lock.json");
        if (!File.Exists(installed) || File.GetLastWriteTimeUtc(installed) < File.GetLastWriteTimeUtc(Path.Combine(Folder, "package-lock.json")))
        {
            var (installCode, installOutput) = await NpmAsync("ci", "--no-audit", "--no-fund", "--loglevel=error").ConfigureAwait(false);
            if (installCode != 0)
            {
                throw new InvalidOperationException("npm ci failed:\n" + installOutput);
            }
        }

        var (buildCode, buildOutput) = await NpmAsync("run", "build").ConfigureAwait(false);
        if (buildCode != 0)
        {
            throw new InvalidOperationException("npm run build failed:\n" + buildOutput);
        }
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string program, string[] arguments)
    {
        var (exitCode, stdout, stderr) = await RunSplitAsync(program, arguments).ConfigureAwait(false);
        return (exitCode, stdout + stderr);
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunSplitAsync(string program, string[] arguments)
    {
        var info = new ProcessStartInfo(program) { WorkingDirectory = Folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        // npm's update check would keep the output pipes open after npm exits.
        info.Environment["npm_config_update_notifier"] = "false";
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().ConfigureAwait(false);
        return (process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
    }
}
