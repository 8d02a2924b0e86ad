using Jobs.Shared.Requests;
using Jobs.Shared.Jobs;
using Jobs.Shared.Models;
using Jobs.Producer.Jobs;

namespace Jobs.Tests.Jobs;

/// <summary>Each model family's own rules, enforced before anything is queued, naming field and rule.</summary>
public sealed class ModelRulesValidationTests
{
    private readonly JobRequestValidator _validator = new(ModelCatalog.Default);

    private FieldError SingleError(JobSubmission submission)
    {
        var outcome = _validator.Validate(submission);
        Assert.That(outcome.IsValid, Is.False);
        return outcome.Errors.Single();
    }

    [Test]
    public void Titan_takes_a_prompt_of_at_most_512_characters()
    {
        var error = SingleError(new JobSubmission { Prompt = new string('a', 513), Model = ModelCatalog.TitanV2 });

        Assert.That(error.Field, Is.EqualTo("prompt"));
        Assert.That(error.Message, Does.Contain("at most 512"));
        Assert.That(_validator.Validate(new JobSubmission { Prompt = new string('a', 512), Model = ModelCatalog.TitanV2 }).IsValid, Is.True);
    }

    [Test]
    public void Titan_takes_only_the_sizes_of_its_table()
    {
        Assert.That(_validator.Validate(new JobSubmission { Prompt = "x", Model = ModelCatalog.TitanV1, Width = 1152, Height = 768 }).IsValid, Is.True);

        var error = SingleError(new JobSubmission { Prompt = "x", Model = ModelCatalog.TitanV1, Width = 1000, Height = 1000 });
        Assert.That(error.Field, Is.EqualTo("width"));
        Assert.That(error.Message, Does.Contain("1000×1000 is not a size"));
    }

    [TestCase(1000, 1008, "multiple of 16")]
    [TestCase(304, 1024, "between 320 and 4096")]
    [TestCase(320, 1600, "aspect ratio")]
    [TestCase(2048, 2048, "below 4194304")]
    public void Nova_Canvas_checks_free_sizes(int width, int height, string rule)
    {
        var error = SingleError(new JobSubmission { Prompt = "x", Model = ModelCatalog.NovaCanvas, Width = width, Height = height });

        Assert.That(error.Field, Is.EqualTo("width"));
        Assert.That(error.Message, Does.Contain(rule));
    }

    [Test]
    public void Nova_Canvas_accepts_a_large_size_within_its_rule_and_fills_in_a_default_size()
    {
        var large = _validator.Validate(new JobSubmission { Prompt = "x", Model = ModelCatalog.NovaCanvas, Width = 2032, Height = 2048 });
        var plain = _validator.Validate(new JobSubmission { Prompt = "x", Model = ModelCatalog.NovaCanvas });

        Assert.That(large.IsValid, Is.True);
        Assert.That((plain.Request!.Width, plain.Request.Height), Is.EqualTo((1024, 1024)));
    }

    [Test]
    public void Style_is_checked_against_the_model_and_refused_where_the_model_has_none()
    {
        Assert.That(_validator.Validate(new JobSubmission { Prompt = "x", Model = ModelCatalog.NovaCanvas, Style = "PHOTOREALISM" }).IsValid, Is.True);
        Assert.That(SingleError(new JobSubmission { Prompt = "x", Model = ModelCatalog.NovaCanvas, Style = "CUBISM" }).Message, Does.Contain("must be one of"));
        Assert.That(SingleError(new JobSubmission { Prompt = "x", Model = ModelCatalog.TitanV2, Style = "PHOTOREALISM" }).Message, Does.Contain("not accepted"));
        Assert.That(_validator.Validate(new JobSubmission { Prompt = "x", Model = ModelCatalog.Sdxl, Style = "anime" }).IsValid, Is.True);
    }

    [TestCase(ModelCatalog.TitanV2, 5, true)]
    [TestCase(ModelCatalog.TitanV2, 6, false)]
    [TestCase(ModelCatalog.NovaCanvas, 0, false)]
    [TestCase(ModelCatalog.Sdxl, 2, false)]
    [TestCase(ModelCatalog.Sd35Large, 2, false)]
    public void Image_counts_follow_the_model(string model, int count, bool valid)
    {
        Assert.That(_validator.Validate(new JobSubmission { Prompt = "x", Model = model, Count = count }).IsValid, Is.EqualTo(valid));
    }

    [TestCase(ModelCatalog.TitanV2, 1.0, false)]
    [TestCase(ModelCatalog.TitanV2, 10.0, true)]
    [TestCase(ModelCatalog.Sdxl, 35.0, true)]
    [TestCase(ModelCatalog.Sdxl, 35.5, false)]
    [TestCase(ModelCatalog.StableImageCore, 5.0, false)]
    public void CfgScale_follows_the_model(string model, double cfgScale, bool valid)
    {
        Assert.That(_validator.Validate(new JobSubmission { Prompt = "x", Model = model, CfgScale = cfgScale }).IsValid, Is.EqualTo(valid));
    }

    [Test]
    public void Seeds_follow_each_models_own_range()
    {
        Assert.That(SingleError(new JobSubmission { Prompt = "x", Model = ModelCatalog.NovaCanvas, Seed = 858_993_460 }).Field, Is.EqualTo("seed"));
        Assert.That(_validator.Validate(new JobSubmission { Prompt = "x", Model = ModelCatalog.TitanV2, Seed = 2_147_483_646 }).IsValid, Is.True);
        Assert.That(_validator.Validate(new JobSubmission { Prompt = "x", Model = ModelCatalog.Sdxl, Seed = 4_294_967_295 }).IsValid, Is.True);
    }

    [Test]
    public void Sdxl_takes_steps_between_10_and_50_and_other_models_take_none()
    {
        Assert.That(_validator.Validate(new JobSubmission { Prompt = "x", Model = ModelCatalog.Sdxl, Steps = 50 }).IsValid, Is.True);
        Assert.That(SingleError(new JobSubmission { Prompt = "x", Model = ModelCatalog.Sdxl, Steps = 9 }).Field, Is.EqualTo("steps"));
        Assert.That(SingleError(new JobSubmission { Prompt = "x", Model = ModelCatalog.TitanV2, Steps = 20 }).Message, Does.Contain("not accepted"));
    }

    [Test]
    public void A_pixel_sized_model_refuses_an_aspect_ratio_and_a_lone_side()
    {
        Assert.That(SingleError(new JobSubmission { Prompt = "x", Model = ModelCatalog.TitanV2, AspectRatio = "1:1" }).Field, Is.EqualTo("aspectRatio"));
        Assert.That(SingleError(new JobSubmission { Prompt = "x", Model = ModelCatalog.TitanV2, Width = 1024 }).Field, Is.EqualTo("height"));
    }

    [Test]
    public void Quality_is_standard_or_premium_for_the_Amazon_models_only()
    {
        Assert.That(_validator.Validate(new JobSubmission { Prompt = "x", Model = ModelCatalog.NovaCanvas, Quality = "premium" }).IsValid, Is.True);
        Assert.That(SingleError(new JobSubmission { Prompt = "x", Model = ModelCatalog.NovaCanvas, Quality = "ultra" }).Field, Is.EqualTo("quality"));
        Assert.That(SingleError(new JobSubmission { Prompt = "x", Model = ModelCatalog.StableImageUltra, Quality = "premium" }).Field, Is.EqualTo("quality"));
    }

    [Test]
    public void Lifecycle_follows_the_calendar_and_the_default_is_active()
    {
        var catalog = ModelCatalog.Default;
        catalog.TryGet(ModelCatalog.NovaCanvas, out var nova);
        catalog.TryGet(ModelCatalog.TitanV1, out var titan);
        catalog.TryGet(catalog.DefaultModelId, out var fallback);

        Assert.That(nova!.LifecycleOn(new DateOnly(2026, 9, 29)), Is.EqualTo(ModelLifecycle.Legacy));
        Assert.That(nova.LifecycleOn(new DateOnly(2026, 9, 30)), Is.EqualTo(ModelLifecycle.EndOfLife));
        Assert.That(titan!.LifecycleOn(new DateOnly(2030, 1, 1)), Is.EqualTo(ModelLifecycle.Legacy), "no announced date, still Legacy");
        Assert.That(fallback!.Lifecycle, Is.EqualTo(ModelLifecycle.Active));
    }
}
