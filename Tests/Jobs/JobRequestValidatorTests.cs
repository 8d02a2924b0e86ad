using Jobs.Shared.Requests;
using System.Text.Json;
using Jobs.Shared.Jobs;
using Jobs.Shared.Models;
using Jobs.Producer;
using Jobs.Producer.Jobs;

namespace Jobs.Tests.Jobs;

public sealed class JobRequestValidatorTests
{
    private readonly JobRequestValidator _validator = new(ModelCatalog.Default);

    [Test]
    public void A_prompt_alone_gets_the_default_model_aspect_ratio_and_count()
    {
        var outcome = _validator.Validate(new JobSubmission { Prompt = "a lighthouse in a storm" });

        Assert.That(outcome.IsValid, Is.True);
        Assert.That(outcome.Request!.Model, Is.EqualTo(ModelCatalog.StableImageCore));
        Assert.That(outcome.Request.AspectRatio, Is.EqualTo("1:1"));
        Assert.That(outcome.Request.Count, Is.EqualTo(1));
        Assert.That(outcome.Request.Seed, Is.Zero);
        Assert.That(outcome.Request.OutputFormat, Is.EqualTo("png"));
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("   ")]
    public void A_missing_or_blank_prompt_is_a_field_error(string? prompt)
    {
        var outcome = _validator.Validate(new JobSubmission { Prompt = prompt });

        Assert.That(outcome.IsValid, Is.False);
        Assert.That(outcome.Errors.Select(e => e.Field), Is.EquivalentTo(new[] { "prompt" }));
    }

    [Test]
    public void A_prompt_longer_than_the_model_allows_names_the_limit()
    {
        var outcome = _validator.Validate(new JobSubmission { Prompt = new string('a', 10_001) });

        Assert.That(outcome.Errors.Single().Field, Is.EqualTo("prompt"));
        Assert.That(outcome.Errors.Single().Message, Does.Contain("10000"));
    }

    [Test]
    public void Every_broken_rule_is_reported_at_once()
    {
        var outcome = _validator.Validate(new JobSubmission
        {
            Prompt = "x",
            AspectRatio = "7:3",
            Width = 512,
            Height = 512,
            Seed = 4_294_967_295,
            Count = 2,
            OutputFormat = "gif",
            NegativePrompt = new string('n', 10_001),
        });

        Assert.That(
            outcome.Errors.Select(e => e.Field),
            Is.EquivalentTo(new[] { "aspectRatio", "width", "height", "seed", "count", "outputFormat", "negativePrompt" }));
    }

    [Test]
    public void An_unknown_model_is_rejected_with_a_pointer_to_the_catalog()
    {
        var outcome = _validator.Validate(new JobSubmission { Prompt = "x", Model = "stability.nope-v9" });

        Assert.That(outcome.Errors.Single().Field, Is.EqualTo("model"));
        Assert.That(outcome.Errors.Single().Message, Does.Contain("GET /models"));
    }

    [Test]
    public void Unknown_fields_are_reported_not_ignored()
    {
        var submission = JsonSerializer.Deserialize("{\"prompt\":\"x\",\"promt\":\"typo\"}", ProducerJsonContext.Default.JobSubmission)!;

        var outcome = _validator.Validate(submission);

        Assert.That(outcome.Errors.Single().Field, Is.EqualTo("promt"));
    }

    [TestCase(0L)]
    [TestCase(4_294_967_294L)]
    public void Seeds_at_the_ends_of_the_range_are_accepted(long seed)
    {
        Assert.That(_validator.Validate(new JobSubmission { Prompt = "x", Seed = seed }).IsValid, Is.True);
    }

    [Test]
    public void Each_Stability_aspect_ratio_is_accepted_for_each_Stability_model()
    {
        foreach (var model in ModelCatalog.Default.Models.Where(m => m.Family == ModelFamily.StabilityImage))
        {
            foreach (var ratio in model.Rules.AspectRatios!.Keys)
            {
                var outcome = _validator.Validate(new JobSubmission { Prompt = "x", Model = model.Id, AspectRatio = ratio });
                Assert.That(outcome.IsValid, Is.True, $"{model.Id} {ratio}");
            }
        }
    }
}
