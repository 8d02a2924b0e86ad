using System.Text.RegularExpressions;
using Jobs.Shared.Jobs;
using Jobs.Tests.Support;
using Jobs.Local.LambdaRuntime;

namespace Jobs.Tests.Jobs;

/// <summary>The job's state machine as a table: its shape, and the README's copy of it.</summary>
public sealed partial class JobTransitionsTests
{
    [Test]
    public void A_finished_job_never_changes_status_and_only_records_its_notice()
    {
        foreach (var row in JobTransitions.All.Where(t => t.From.IsTerminal()))
        {
            Assert.That((row.To, row.Event), Is.EqualTo((row.From, JobEvent.MarkNotified)), row.ToString());
        }

        Assert.That(Enum.GetValues<JobStatus>().Where(s => s.IsTerminal()), Is.EquivalentTo(new[] { JobStatus.Succeeded, JobStatus.Failed, JobStatus.Canceled }));
    }

    [Test]
    public void Every_event_has_rows_and_leads_to_one_status_or_keeps_the_one_it_found([Values] JobEvent @event)
    {
        Assert.That(JobTransitions.For(@event), Is.Not.Empty);
        Assert.DoesNotThrow(() => JobTransitions.Target(@event));
    }

    [TestCase(JobStatus.Queued, JobEvent.Complete)]
    [TestCase(JobStatus.Queued, JobEvent.Fail)]
    [TestCase(JobStatus.Queued, JobEvent.CancelByWorker)]
    [TestCase(JobStatus.Running, JobEvent.Cancel)]
    [TestCase(JobStatus.Queued, JobEvent.MarkNotified)]
    public void Skipping_a_step_is_not_a_move_of_the_table(JobStatus from, JobEvent @event) =>
        Assert.That(JobTransitions.Allows(from, @event), Is.False);

    [Test]
    public void Every_write_after_a_claim_is_fenced_by_the_claims_attempt()
    {
        foreach (var row in JobTransitions.All.Where(t => t.From == JobStatus.Running && t.Event is JobEvent.Complete or JobEvent.Fail or JobEvent.Retry or JobEvent.Defer or JobEvent.CancelByWorker))
        {
            Assert.That(row.Guard.HasFlag(JobGuard.AttemptMatches), Is.True, row.ToString());
        }
    }

    [Test]
    public void The_READMEs_table_is_the_code_s_table()
    {
        var readme = File.ReadAllText(Path.Combine(LambdaPackages.RepositoryRoot, "README.md"));
        var section = TableSection().Match(readme);
        Assert.That(section.Success, Is.True, "README.md has the table between <!-- transitions --> markers");

        var documented = section.Groups[1].Value.Split('\n')
            .Select(l => l.Trim())
            .Where(l => l.StartsWith("| `", StringComparison.Ordinal))
            .ToList();
        var code = JobTransitions.All.Select(Render).ToList();

        Assert.That(documented, Is.EqualTo(code), "README.md's \"How a job moves\" table and Shared/Jobs/JobTransitions.cs must list the same moves, in the same order");
    }

    /// <summary>One row as the README writes it.</summary>
    private static string Render(JobTransition row)
    {
        var guards = Enum.GetValues<JobGuard>().Where(g => g != JobGuard.None && row.Guard.HasFlag(g)).Select(Words).ToList();
        return $"| `{row.From.ToName()}` | {row.Event} | `{row.To.ToName()}` | {(guards.Count == 0 ? "—" : string.Join(", ", guards))} |";
    }

    private static string Words(JobGuard guard) => guard switch
    {
        JobGuard.DispatchMatches => "the message's dispatch is the job's",
        JobGuard.AttemptMatches => "the writer holds the claim's attempt",
        JobGuard.LeaseExpired => "the lease has ended",
        JobGuard.NoCancelRequested => "no cancel requested",
        JobGuard.CancelRequested => "a cancel was requested",
        JobGuard.NotNotified => "no notice recorded",
        JobGuard.Due => "its message is due",
        _ => guard.ToString(),
    };

    [Test]
    public void Status_names_round_trip_and_are_lower_case()
    {
        foreach (var status in Enum.GetValues<JobStatus>())
        {
            var name = status.ToName();
            Assert.That(name, Is.EqualTo(name.ToLowerInvariant()));
            Assert.That(JobStatusNames.TryParse(name, out var parsed), Is.True);
            Assert.That(parsed, Is.EqualTo(status));
        }

        Assert.That(JobStatusNames.TryParse("Queued", out _), Is.False);
    }

    [GeneratedRegex(@"<!-- transitions -->(.*?)<!-- /transitions -->", RegexOptions.Singleline)]
    private static partial Regex TableSection();
}
