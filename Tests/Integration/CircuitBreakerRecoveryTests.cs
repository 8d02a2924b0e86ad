using Jobs.Consumer.Bedrock;
using Jobs.Shared.Jobs;
using Jobs.Shared.Models;
using Jobs.Tests.Support;

namespace Jobs.Tests.Integration;

/// <summary>
/// A model whose server keeps failing: its circuit opens, the consumer stops calling it and parks
/// its jobs on the queue; when the model recovers the circuit closes and every job finishes.
/// </summary>
public sealed class CircuitBreakerRecoveryTests
{
    [Test]
    public async Task Jobs_for_a_failing_model_wait_out_the_open_circuit_and_finish_when_it_recovers()
    {
        var stack = await TestStack.GetAsync();
        using var api = new ApiCalls(stack);
        var fake = stack.Bedrock.Options;
        fake.ErrorRates[BedrockErrors.InternalServer] = 1.0;
        string[] jobs;
        try
        {
            jobs = await Task.WhenAll(Enumerable.Range(0, 4).Select(async i =>
                (await api.SubmitAsync($"circuit {i}", $"\"model\":\"{ModelCatalog.Sd35Large}\"")).Id));

            await Eventually.WaitForAsync(
                async () => await Task.WhenAll(jobs.Select(api.GetAsync)),
                views => views.Any(v => v.Error?.Code == JobErrorCodes.ModelUnavailable),
                TimeSpan.FromSeconds(30),
                "a job parked because the model's circuit is open");
            var callsWhileOpen = stack.Bedrock.Calls;
            var deferralsWhileOpen = (await Task.WhenAll(jobs.Select(api.GetAsync))).Sum(v => v.Deferrals);
            var deferrals = await Eventually.WaitForAsync(
                async () => (await Task.WhenAll(jobs.Select(api.GetAsync))).Sum(v => v.Deferrals),
                d => d >= deferralsWhileOpen + 3,
                TimeSpan.FromSeconds(30),
                "parked jobs to come back and be parked again");
            // Each break ends with one trial call; every other return was refused without a call.
            Assert.That(stack.Bedrock.Calls - callsWhileOpen, Is.LessThan(deferrals - deferralsWhileOpen), "the open circuit kept returning jobs from Bedrock");
        }
        finally
        {
            fake.ErrorRates.Clear();
        }

        var done = await Task.WhenAll(jobs.Select(id => api.WaitForFinalAsync(id, TimeSpan.FromSeconds(90))));

        Assert.That(done.Select(j => j.Status), Has.All.EqualTo(JobStatus.Succeeded));
    }
}
