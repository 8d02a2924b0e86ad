using Jobs.Local.Soak;

namespace Jobs.Tests.Soak;

/// <summary>
/// The fault soak, one minute of it, as <c>dotnet run --project Local -- soak</c> runs it: the
/// packaged consumer killed at random while Bedrock fails, and every invariant checked after.
/// </summary>
public sealed class SoakTests
{
    [Test]
    [CancelAfter(10 * 60 * 1000)]
    public async Task A_one_minute_fault_soak_loses_doubles_and_strands_nothing(CancellationToken cancellationToken)
    {
        var options = new SoakOptions { Duration = TimeSpan.FromMinutes(1), JobsPerSecond = 2 };

        var report = await new SoakRunner(options, new Progress<string>(line => TestContext.Progress.WriteLine(line))).RunAsync(cancellationToken);

        TestContext.Out.WriteLine($"{report.Submitted} jobs, {report.Kills} kills, {report.KilledDeliveries} killed deliveries, {report.DuplicatesSent} duplicates, " +
            $"{report.CallsPerSucceededJob:0.00} Bedrock calls and {report.GenerationsPerSucceededJob:0.000} generations per succeeded job");
        Assert.That(report.Violations, Is.Empty);
        Assert.That(report.Kills, Is.GreaterThan(3), "consumers were killed mid-run");
        Assert.That(report.Submitted, Is.GreaterThan(60));
        Assert.That(report.ByOutcome.GetValueOrDefault("succeeded"), Is.GreaterThan(report.Submitted / 2));
    }
}
