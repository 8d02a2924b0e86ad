using Microsoft.Playwright;

namespace Jobs.Tests.Console;

/// <summary>
/// Debian's Chromium driven by Playwright: the system browser, never a download. Its absence fails
/// the tests with the line that installs it; it never skips them.
/// </summary>
public static class ConsoleBrowser
{
    public const string InstallLine = "apt-get install -y --no-install-recommends chromium";

    public static string ExecutablePath()
    {
        var path = new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists);
        return path ?? throw new InvalidOperationException($"The browser tests need Debian's Chromium: {InstallLine}");
    }

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        var playwright = await Playwright.CreateAsync();
        // --no-sandbox: CI runs as root, where Chromium's sandbox cannot start.
        var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = ExecutablePath(), Headless = true, Args = ["--no-sandbox"] });
        return (playwright, browser);
    }
}
