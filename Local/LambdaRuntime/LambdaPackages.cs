using System.Diagnostics;
using System.IO.Compression;

namespace Jobs.Local.LambdaRuntime;

/// <summary>
/// The two Lambda zips exactly as the package step makes them (<c>dotnet publish -c Release</c> of
/// Producer and Consumer: Native AOT, GLIBC check, zip), built once per process and unpacked, so the
/// soak and the tests run the very <c>bootstrap</c> that ships.
/// </summary>
public static class LambdaPackages
{
    private static readonly Lazy<Task<string>> Built = new(BuildAsync);

    public static string RepositoryRoot { get; } = FindRoot();

    public static string ZipPath(string function) => Path.Combine(RepositoryRoot, "artifacts", "lambda", function + ".zip");

    /// <summary>The unpacked <c>bootstrap</c> of <paramref name="function"/> (<c>producer</c> or <c>consumer</c>).</summary>
    public static async Task<string> BootstrapAsync(string function)
    {
        var folder = await Built.Value.ConfigureAwait(false);
        return Path.Combine(folder, function, "bootstrap");
    }

    /// <summary>Runs <c>dotnet publish</c> of a function with extra MSBuild arguments; returns the exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> PublishAsync(string project, params string[] extra)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepositoryRoot,
        };
        foreach (var argument in new[] { "publish", Path.Combine(RepositoryRoot, project), "-c", "Release", "-nodeReuse:false" }.Concat(extra))
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().ConfigureAwait(false);
        return (process.ExitCode, await stdout.ConfigureAwait(false) + await stderr.ConfigureAwait(false));
    }

    private static async Task<string> BuildAsync()
    {
        var folder = Path.Combine(Path.GetTempPath(), "jobs-lambda-" + Guid.NewGuid().ToString("N")[..8]);
        foreach (var function in new[] { "producer", "consumer" })
        {
            var project = char.ToUpperInvariant(function[0]) + function[1..];
            var (exitCode, output) = await PublishAsync(project).ConfigureAwait(false);
            if (exitCode != 0)
            {
                throw new InvalidOperationException($"dotnet publish {project} failed ({exitCode}):\n{output}");
            }

            await ZipFile.ExtractToDirectoryAsync(ZipPath(function), Path.Combine(folder, function)).ConfigureAwait(false);
        }

        return folder;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Jobs.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Jobs.sln not found above " + AppContext.BaseDirectory);
    }
}
