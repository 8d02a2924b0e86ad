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

    /// <summary>
    /// Starts building both architectures' packages now, in the background, so a test run that needs
    /// them later finds them made in the time its other tests spent waiting on the emulators. Every
    /// build runs at the lowest CPU priority, so it takes only what the tests leave idle.
    /// </summary>
    public static void StartBuilding()
    {
        foreach (var built in Built.Values)
        {
            // Observed later by whoever needs the packages; a run that never does lets it finish on its own.
            _ = built.Value;
        }
    }

    /// <summary>
    /// Runs <c>dotnet</c> at the lowest CPU priority, under a lock file (one build of this repository
    /// at a time, across processes too) and with its output in a file rather than a pipe: a build
    /// outliving the process that started it (a test run ending first) completes instead of dying
    /// mid-write, and the next build waits for it.
    /// </summary>
    private static async Task<(int ExitCode, string Output)> RunDotnetAsync(IEnumerable<string> arguments)
    {
        Directory.CreateDirectory(Path.Combine(RepositoryRoot, "artifacts"));
        var log = Path.Combine(Path.GetTempPath(), $"jobs-dotnet-{Guid.NewGuid():N}.log");
        var info = new ProcessStartInfo("sh") { WorkingDirectory = RepositoryRoot, UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("log=\"$1\"; lock=\"$2\"; shift 2; exec flock \"$lock\" nice -n 19 dotnet \"$@\" > \"$log\" 2>&1");
        info.ArgumentList.Add("sh");
        info.ArgumentList.Add(log);
        info.ArgumentList.Add(Path.Combine(RepositoryRoot, "artifacts", ".build.lock"));
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
            await process.WaitForExitAsync().ConfigureAwait(false);
            var output = File.Exists(log) ? await File.ReadAllTextAsync(log).ConfigureAwait(false) : string.Empty;
            File.Delete(log);
            return (process.ExitCode, output);
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
