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
    [Test]
    public async Task The_Pulumi_programs_tests_pass_under_node_test()
    {
        await PulumiProgram.EnsureBuiltAsync();

        // What `npm test` runs, minus its compile: the run has just compiled the program once.
        var tests = Directory.GetFiles(Path.Combine(PulumiProgram.Folder, "dist", "test"), "*.test.js").Order(StringComparer.Ordinal).Select(f => Path.GetRelativePath(PulumiProgram.Folder, f));
        var (exitCode, stdout, stderr) = await PulumiProgram.NodeAsync(["--test", .. tests]);
        var output = stdout + stderr;
        var passed = Count(PassLine(), output);
        var failed = Count(FailLine(), output);

        Assert.That(exitCode, Is.Zero, output);
        Assert.That(failed, Is.Zero, output);
        Assert.That(passed, Is.GreaterThanOrEqualTo(40), "the program's tests ran:\n" + output);
        TestContext.Out.WriteLine($"Pulumi program: {passed} tests passed under node --test");
    }

    private static int Count(Regex line, string output) =>
        line.Match(output) is { Success: true } match ? int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : -1;

    [GeneratedRegex(@"^# pass (\d+)$", RegexOptions.Multiline)]
    private static partial Regex PassLine();

    [GeneratedRegex(@"^# fail (\d+)$", RegexOptions.Multiline)]
    private static partial Regex FailLine();
}
