using Jobs.Shared.Jobs;

namespace Jobs.Tests.Jobs;

public sealed class JobTransitionsTests
{
    [TestCase(JobStatus.Queued, JobStatus.Running)]
    [TestCase(JobStatus.Queued, JobStatus.Canceled)]
    [TestCase(JobStatus.Running, JobStatus.Succeeded)]
    [TestCase(JobStatus.Running, JobStatus.Failed)]
    [TestCase(JobStatus.Running, JobStatus.Queued)]
    public void The_designed_moves_are_allowed(JobStatus from, JobStatus to) =>
        Assert.That(JobTransitions.IsAllowed(from, to), Is.True);

    [Test]
    public void Final_statuses_never_change()
    {
        foreach (var from in new[] { JobStatus.Succeeded, JobStatus.Failed, JobStatus.Canceled })
        {
            Assert.That(from.IsTerminal(), Is.True);
            foreach (var to in Enum.GetValues<JobStatus>())
            {
                Assert.That(JobTransitions.IsAllowed(from, to), Is.False, $"{from} -> {to}");
            }
        }
    }

    [TestCase(JobStatus.Queued, JobStatus.Succeeded)]
    [TestCase(JobStatus.Queued, JobStatus.Failed)]
    [TestCase(JobStatus.Running, JobStatus.Canceled)]
    public void Skipping_a_step_is_not_allowed(JobStatus from, JobStatus to) =>
        Assert.That(JobTransitions.IsAllowed(from, to), Is.False);

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
}
