using Microsoft.Playwright;

namespace Testing;

/// <summary>The machine's Chromium driven by Playwright (never Playwright's own browser download).</summary>
public static class Chromium
{
    public const string ExecutablePath = "/usr/bin/chromium";

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
            ],
        });
        return (playwright, browser);
    }

    /// <summary>
    /// Whether the page paints: two animation frames within <paramref name="timeout"/>. Playwright's clicks wait for an
    /// element to stay put across animation frames, so on a page that paints none every click times out.
    /// </summary>
    public static async Task<bool> PaintsAsync(IPage page, int timeout = 5_000) =>
        await page.EvaluateAsync<bool>(
            "timeout => new Promise(done => { requestAnimationFrame(() => requestAnimationFrame(() => done(true))); setTimeout(() => done(false), timeout); })",
            timeout).WaitAsync(TimeSpan.FromMilliseconds(timeout * 2));
}
