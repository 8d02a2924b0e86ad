using System.Net;
using Jobs.Local.Hosting;
using Jobs.Tests.Support;
using Microsoft.Playwright;

namespace Jobs.Tests.Console;

/// <summary>
/// The web console in real headless Chromium against the local stack, served at / on the API's
/// port: submit and see the image, a validation error at its field, cancel a running job, the list
/// updating without a reload, usable by keyboard and on a phone-sized screen, and no console errors.
/// </summary>
[NonParallelizable]
public sealed class ConsoleTests
{
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;
    private LocalStack _stack = null!;
    private IPage _page = null!;
    private readonly List<string> _errors = [];

    [OneTimeSetUp]
    public async Task LaunchAsync()
    {
        _stack = await TestStack.GetAsync();
        // More unfinished jobs than a browser opens connections to one host (six), as on a busy
        // stack: the page must still submit, cancel and show images while it follows them.
        await using (var consumer = new ConsumerHarness(_stack))
        {
            for (var i = 0; i < 8; i++)
            {
                await consumer.CreateQueuedAsync($"console: waiting far ahead {i} {Guid.NewGuid():N}", shape: j => j with { DueAt = DateTimeOffset.UtcNow.AddDays(1) });
            }
        }

        (_playwright, _browser) = await ConsoleBrowser.LaunchAsync();
    }

    [OneTimeTearDown]
    public async Task CloseAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }

    [SetUp]
    public async Task OpenAsync()
    {
        _errors.Clear();
        _page = await _browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        _page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                _errors.Add(message.Text);
            }
        };
        _page.PageError += (_, error) => _errors.Add(error);
        await _page.GotoAsync(_stack.Api.BaseAddress.ToString());
        await _page.Locator("#model option").First.WaitForAsync(new() { State = WaitForSelectorState.Attached });
    }

    [TearDown]
    public async Task CheckAndCloseAsync()
    {
        await _page.CloseAsync();
        Assert.That(_errors, Is.Empty, "the browser's console stayed free of errors");
    }

    private async Task<string> SubmitFromTheFormAsync(string prompt)
    {
        await _page.FillAsync("#prompt", prompt);
        await _page.ClickAsync("#submit");
        var row = _page.Locator("li.job", new() { HasText = prompt });
        await row.WaitForAsync();
        return (await row.GetAttributeAsync("data-job-id"))!;
    }

    [Test]
    public async Task A_prompt_submitted_in_the_form_shows_its_image_in_the_gallery()
    {
        var id = await SubmitFromTheFormAsync($"console: a lighthouse {Guid.NewGuid():N}");

        var image = _page.Locator($"figure.image[data-job-id='{id}'] img");
        await image.WaitForAsync(new() { Timeout = 60_000 });
        await _page.WaitForFunctionAsync($"() => document.querySelector(\"figure.image[data-job-id='{id}'] img\").naturalWidth > 0");
        Assert.That(await _page.Locator($"li.job[data-job-id='{id}'] .status").TextContentAsync(), Is.EqualTo("succeeded"));
        Assert.That(await _page.Locator($"figure.image[data-job-id='{id}'] figcaption").TextContentAsync(), Does.Contain("seed").And.Contain("1024×1024"));

        var file = Path.Combine(TestContext.CurrentContext.WorkDirectory, "console-gallery.png");
        await _page.ScreenshotAsync(new() { Path = file, FullPage = true });
        TestContext.AddTestAttachment(file, "The console's gallery");
        Assert.That(new FileInfo(file).Length, Is.GreaterThan(10_000));
    }

    [Test]
    public async Task A_validation_error_is_shown_at_the_field_the_API_names()
    {
        await _page.SelectOptionAsync("#model", "stability.stable-image-core-v1:1");
        await _page.FillAsync("#prompt", "console: a seed out of range");
        await _page.FillAsync("#seed", "99999999999");
        await _page.ClickAsync("#submit");

        var error = _page.Locator("[data-error-for='seed']");
        await Assertions.Expect(error).ToContainTextAsync("must be between 0 and 4294967294");
        Assert.That(await _page.GetAttributeAsync("#seed", "aria-invalid"), Is.EqualTo("true"));
        Assert.That(await _page.EvaluateAsync<string>("document.activeElement.id"), Is.EqualTo("seed"), "focus goes to the field at fault");
        // Chromium logs every 4xx answer to a fetch; that one is the refusal this test asked for.
        Assert.That(_errors.RemoveAll(e => e.Contains("status of 400", StringComparison.Ordinal)), Is.EqualTo(1));
    }

    [Test]
    public async Task A_running_job_is_canceled_from_its_row()
    {
        var prompt = $"console: held in Bedrock {Guid.NewGuid():N}";
        using var gate = new BedrockGate(_stack.Bedrock.Options, prompt);
        var id = await SubmitFromTheFormAsync(prompt);
        await gate.Entered;
        var row = _page.Locator($"li.job[data-job-id='{id}']");

        // The job is running (its Bedrock call is held open) whatever the row has caught up to yet.
        await row.Locator("button.cancel").ClickAsync();
        await Assertions.Expect(row.Locator(".status")).ToHaveTextAsync("running", new() { Timeout = 30_000 });
        gate.Release();

        try
        {
            await Assertions.Expect(row.Locator(".status")).ToHaveTextAsync("canceled", new() { Timeout = 30_000 });
        }
        catch (PlaywrightException)
        {
            using var api = new ApiCalls(_stack);
            Assert.Fail($"The job did not end canceled: {System.Text.Json.JsonSerializer.Serialize(await api.GetAsync(id), Producer.ProducerJsonContext.Default.JobView)}");
        }

        Assert.That(await row.Locator("button.cancel").CountAsync(), Is.Zero, "a final job has no cancel button");
    }

    [Test]
    public async Task A_job_submitted_elsewhere_appears_and_finishes_without_a_reload()
    {
        using var api = new ApiCalls(_stack);
        var prompt = $"console: submitted by another client {Guid.NewGuid():N}";
        var navigations = 0;
        _page.FrameNavigated += (_, _) => navigations++;

        var job = await api.SubmitAsync(prompt);

        var row = _page.Locator($"li.job[data-job-id='{job.Id}']");
        await Assertions.Expect(row.Locator(".status")).ToHaveTextAsync("succeeded", new() { Timeout = 30_000 });
        Assert.That(navigations, Is.Zero, "the page was never reloaded");
    }

    [Test]
    public async Task The_form_works_from_the_keyboard_and_fits_a_phone()
    {
        await _page.SetViewportSizeAsync(390, 844);
        var prompt = $"console: typed {Guid.NewGuid():N}";
        await _page.FocusAsync("#prompt");
        await _page.Keyboard.TypeAsync(prompt);
        // Tab through the model's fields to the button, and press it.
        for (var i = 0; i < 20 && await _page.EvaluateAsync<string>("document.activeElement.id") != "submit"; i++)
        {
            await _page.Keyboard.PressAsync("Tab");
        }

        await _page.Keyboard.PressAsync("Enter");

        await _page.Locator("li.job", new() { HasText = prompt }).WaitForAsync();
        Assert.That(await _page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), Is.True, "no sideways scrolling on a phone");
    }

    [Test]
    public async Task The_page_and_its_files_come_from_the_APIs_port_with_a_content_security_policy()
    {
        using var http = new HttpClient { BaseAddress = _stack.Api.BaseAddress };
        using var page = await http.GetAsync(new Uri("/", UriKind.Relative));
        using var config = await http.GetAsync(new Uri("console/config.json", UriKind.Relative));

        Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(page.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/html"));
        Assert.That(page.Headers.GetValues("Content-Security-Policy").Single(), Does.Contain("default-src 'self'"));
        Assert.That(await config.Content.ReadAsStringAsync(), Is.EqualTo("{\"apiUrl\":\"\"}"), "the API is the same origin locally");
    }
}
