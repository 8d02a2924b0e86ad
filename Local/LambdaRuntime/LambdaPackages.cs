using System.Diagnostics;
using System.IO.Compression;

namespace Jobs.Local.LambdaRuntime;

/// <summary>
/// The Lambda zips exactly as the package step makes them (<c>dotnet publish -c Release</c> of
/// Producer and Consumer: Native AOT, GLIBC check, zip), built once per process and architecture
/// and unpacked, so the soak and the tests run the very <c>bootstrap</c> that ships.
/// </summary>
public static class LambdaPackages
{
    /// <summary>Lambda's name of the architecture the packages run on by default here.</summary>
    public const string X86_64 = "x86_64";

    /// <summary>Lambda's name of Graviton, the architecture the Pulumi program deploys by default.</summary>
    public const string Arm64 = "arm64";

    private static readonly Dictionary<string, Lazy<Task<string>>> Built = new(StringComparer.Ordinal)
    {
        [X86_64] = new(() => BuildAsync(X86_64)),
        [Arm64] = new(() => BuildAsync(Arm64)),
    };

    /// <summary>One publish at a time: the architectures share the projects' intermediate folders.</summary>
    private static readonly SemaphoreSlim OnePublish = new(1, 1);

    public static string RepositoryRoot { get; } = FindRoot();

    public static string ZipPath(string function, string architecture = X86_64) =>
        Path.Combine(RepositoryRoot, "artifacts", "lambda", architecture, function + ".zip");

    /// <summary>The unpacked <c>bootstrap</c> of <paramref name="function"/> (<c>producer</c> or <c>consumer</c>) for <paramref name="architecture"/>.</summary>
    public static async Task<string> BootstrapAsync(string function, string architecture = X86_64)
    {
        var folder = await (Built.TryGetValue(architecture, out var built) ? built : throw new ArgumentOutOfRangeException(nameof(architecture), architecture, "x86_64 or arm64")).Value.ConfigureAwait(false);
        return Path.Combine(folder, function, "bootstrap");
    }

    /// <summary>
    /// The same function built for the JIT (<c>dotnet build -c Release</c>, framework-dependent):
    /// the path of its entry assembly, to run with <c>dotnet</c>. The benchmark compares cold starts.
    /// </summary>
    public static async Task<string> JitEntryAsync(string function)
    {
        var project = char.ToUpperInvariant(function[0]) + function[1..];
        var output = Path.Combine(Path.GetTempPath(), $"jobs-jit-{function}-" + Guid.NewGuid().ToString("N")[..8]);
        var (exitCode, log) = await RunDotnetAsync(["build", Path.Combine(RepositoryRoot, project), "-c", "Release", "-o", output, "-nodeReuse:false"]).ConfigureAwait(false);
        return exitCode == 0
            ? Path.Combine(output, $"Jobs.{project}.dll")
            : throw new InvalidOperationException($"dotnet build {project} failed ({exitCode}):\n{log}");
    }

    /// <summary>Runs <c>dotnet publish</c> of a function with extra MSBuild arguments; returns the exit code and output.</summary>
    public static Task<(int ExitCode, string Output)> PublishAsync(string project, params string[] extra) =>
        RunDotnetAsync(new[] { "publish", Path.Combine(RepositoryRoot, project), "-c", "Release", "-nodeReuse:false" }.Concat(extra));

    private static async Task<(int ExitCode, string Output)> RunDotnetAsync(IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepositoryRoot,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        await OnePublish.WaitAsync().ConfigureAwait(false);
        try
        {
            using var process = Process.Start(info)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync().ConfigureAwait(false);
            return (process.ExitCode, await stdout.ConfigureAwait(false) + await stderr.ConfigureAwait(false));
        }
        finally
        {
            OnePublish.Release();
        }
    }

    private static async Task<string> BuildAsync(string architecture)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"jobs-lambda-{architecture}-" + Guid.NewGuid().ToString("N")[..8]);
        foreach (var function in new[] { "producer", "consumer" })
        {
            var project = char.ToUpperInvariant(function[0]) + function[1..];
            var (exitCode, output) = await PublishAsync(project, architecture == Arm64 ? ["-r", "linux-arm64"] : []).ConfigureAwait(false);
            if (exitCode != 0)
            {
                throw new InvalidOperationException($"dotnet publish {project} ({architecture}) failed ({exitCode}):\n{output}");
            }

            await ZipFile.ExtractToDirectoryAsync(ZipPath(function, architecture), Path.Combine(folder, function)).ConfigureAwait(false);
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
