using System.Diagnostics;
using System.Text.RegularExpressions;
using Jobs.Tests.Support;

namespace Jobs.Tests.Infrastructure;

/// <summary>
/// Runs the Pulumi program's own tests (TypeScript, Pulumi's mocks under <c>node --test</c>; no
/// Pulumi CLI, no AWS account) as part of the one test command, installing its npm packages from
/// the lock file first when they are missing or stale.
/// </summary>
public sealed partial class PulumiProgramTests
{
    private static readonly string Program = Path.Combine(LambdaPackages.RepositoryRoot, "Infrastructure.Pulumi");

    [Test]
    public async Task The_Pulumi_programs_tests_pass_under_node_test()
    {
        var installed = Path.Combine(Program, "node_modules", ".package-lock.json");
        if (!File.Exists(installed) || File.GetLastWriteTimeUtc(installed) < File.GetLastWriteTimeUtc(Path.Combine(Program, "package-lock.json")))
        {
            var (installCode, installOutput) = await NpmAsync("ci", "--no-audit", "--no-fund", "--loglevel=error");
            Assert.That(installCode, Is.Zero, "npm ci failed:\n" + installOutput);
        }

        var (exitCode, output) = await NpmAsync("test");
        var passed = Count(PassLine(), output);
        var failed = Count(FailLine(), output);

        Assert.That(exitCode, Is.Zero, output);
        Assert.That(failed, Is.Zero, output);
        Assert.That(passed, Is.GreaterThanOrEqualTo(20), "the program's tests ran:\n" + output);
        TestContext.Out.WriteLine($"Pulumi program: {passed} tests passed under node --test");
    }

    private static int Count(Regex line, string output) =>
        line.Match(output) is { Success: true } match ? int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : -1;

    private static async Task<(int ExitCode, string Output)> NpmAsync(params string[] arguments)
    {
        var info = new ProcessStartInfo("npm") { WorkingDirectory = Program, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        // npm's update check would keep the output pipes open after npm exits.
        info.Environment["npm_config_update_notifier"] = "false";
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }

    [GeneratedRegex(@"^# pass (\d+)$", RegexOptions.Multiline)]
    private static partial Regex PassLine();

    [GeneratedRegex(@"^# fail (\d+)$", RegexOptions.Multiline)]
    private static partial Regex FailLine();
}
