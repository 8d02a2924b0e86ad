using Jobs.Consumer;
using Jobs.Shared.Images;
using Jobs.Shared.Jobs;
using Jobs.Consumer.Notices;
using Jobs.Shared.Storage;
using Jobs.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Jobs.Tests.Integration;

/// <summary>
/// A worker that dies right after each step (PutObject, the status write, the notice): the next
/// delivery, once the dead worker's lease has ended, finishes what is missing and nothing more:
/// one generation, one image, one final status, and the notice (repeated, with the same event id,
/// only when the crash came after it was published).
/// </summary>
public sealed class CrashAtEachStepTests
{
    private static readonly TimeSpan ShortInvocation = TimeSpan.FromSeconds(2);

    public enum Step
    {
        AfterPutObject,
        AfterStatusWrite,
        AfterNotice,
    }

    [TestCase(Step.AfterPutObject, 1)]
    [TestCase(Step.AfterStatusWrite, 1)]
    [TestCase(Step.AfterNotice, 2)]
    public async Task A_redelivery_after_a_crash_finishes_only_what_is_missing(Step step, int notices)
    {
        var stack = await TestStack.GetAsync();
        var inbox = await TestStack.InboxAsync();
        using var crash = new CrashPoint();
        var prompt = $"a lighthouse, crashed {step}";
        var shortLived = new ConsumerOptions { FinishMargin = TimeSpan.Zero, MinimumAttemptBudget = TimeSpan.Zero };
        await using var crashing = new ConsumerHarness(stack, services => Wrap(services, step, crash), shortLived);
        var job = await crashing.CreateQueuedAsync(prompt);
        var message = ConsumerHarness.MessageFor(job.Id);

        var crashed = message;
        // The worker dies after the step: its record is handed back (with nothing after the step done).
        Assert.That(await crashing.InvokeAsync(crashed, crash.InvocationToken, ShortInvocation), Is.EqualTo(new[] { crashed.MessageId }));
        Assert.That(crash.HasCrashed, Is.True);

        // The next delivery comes after the visibility timeout, when the dead worker's lease is over.
        await using var healthy = new ConsumerHarness(stack, time: new ShiftedClock(ShortInvocation + TimeSpan.FromSeconds(1)));
        var redeliver = await healthy.InvokeAsync(ConsumerHarness.MessageFor(job.Id, receiveCount: 2));
        var final = await healthy.Store.GetAsync(job.Id, CancellationToken.None);
        await inbox.WaitForAsync(job.Id, "job.succeeded", TimeSpan.FromSeconds(20), CancellationToken.None);
        await inbox.DrainOnceAsync(CancellationToken.None);

        Assert.That(redeliver, Is.Empty);
        Assert.That(final!.Status, Is.EqualTo(JobStatus.Succeeded));
        Assert.That(final.NotifiedAt, Is.Not.Null);
        Assert.That(stack.Bedrock.GenerationsFor(prompt), Is.EqualTo(1), "the image is never made twice");
        var objects = await StoredImages.ForJobAsync(stack, job.Id);
        Assert.That(objects, Has.Count.EqualTo(1));
        var received = inbox.Received.Where(n => n.JobId == job.Id).ToList();
        Assert.That(received, Has.Count.EqualTo(notices));
        Assert.That(received.Select(n => n.EventId).Distinct(), Has.Exactly(1).Items, "a repeated notice carries the same event id");
    }

    private static void Wrap(IServiceCollection services, Step step, CrashPoint crash)
    {
        // Registered before AddJobsCore, whose TryAdd then keeps these: the real adapter, wrapped.
        switch (step)
        {
            case Step.AfterPutObject:
                services.AddSingleton<S3ImageStore>();
                services.AddSingleton<IImageStore>(sp => new CrashingImageStore(sp.GetRequiredService<S3ImageStore>(), crash));
                break;
            case Step.AfterStatusWrite:
                services.AddSingleton<DynamoDbJobStore>();
                services.AddSingleton<IJobStore>(sp => new CrashingJobStore(sp.GetRequiredService<DynamoDbJobStore>(), crash));
                break;
            case Step.AfterNotice:
                services.AddSingleton<IJobEvents>(sp => new CrashingJobEvents(
                    new SnsJobEvents(SnsClient(), sp.GetRequiredService<JobEventsOptions>(), TimeProvider.System),
                    crash));
                break;
        }
    }

    private static HttpClient SnsClient() =>
        new(new Shared.Aws.SigV4SigningHandler("sns", Shared.Aws.AwsEnvironment.Region(), Shared.Aws.AwsEnvironment.Credentials(), TimeProvider.System, new SocketsHttpHandler()))
        {
            BaseAddress = new Uri(Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL_SNS")!),
        };
}
