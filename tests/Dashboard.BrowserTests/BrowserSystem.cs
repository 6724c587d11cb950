using Microsoft.Playwright;
using Testing;

namespace Dashboard.BrowserTests;

/// <summary>The whole system started by the real AppHost, and one Chromium, shared by every browser test.</summary>
public sealed class BrowserSystem : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public AppHostProcess Host { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;
    public Uri Dashboard => Host.Url("dashboard");

    public async ValueTask InitializeAsync()
    {
        Host = AppHostProcess.Start();
        await Host.WaitUntilReadyAsync(TimeSpan.FromMinutes(3));
        (_playwright, Browser) = await Chromium.LaunchAsync();
    }

    /// <summary>A fresh browser context signed in as the user, recording console errors.</summary>
    public async Task<SignedInPage> SignInAsync(string email)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1366, Height = 900 } });
        var page = await context.NewPageAsync();
        var signedIn = new SignedInPage(context, page);
        await page.GotoAsync(new Uri(Dashboard, "/sign-in").ToString());
        await page.FillAsync("#email", email);
        await page.FillAsync("#password", Host.Secret($"user-{email}"));
        await page.ClickAsync("[data-testid=sign-in-submit]");
        await signedIn.WaitUntilInteractiveAsync();
        return signedIn;
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        await Host.DisposeAsync();
    }
}

public sealed class SignedInPage : IAsyncDisposable
{
    public SignedInPage(IBrowserContext context, IPage page)
    {
        Context = context;
        Page = page;
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                lock (ConsoleErrors)
                {
                    ConsoleErrors.Add($"{page.Url}: {message.Text}");
                }
            }
        };
        page.PageError += (_, error) =>
        {
            lock (ConsoleErrors)
            {
                ConsoleErrors.Add($"{page.Url}: {error}");
            }
        };
    }

    public IBrowserContext Context { get; }
    public IPage Page { get; }
    public List<string> ConsoleErrors { get; } = [];

    /// <summary>Server-rendered first, the page answers clicks once its Blazor circuit is connected.</summary>
    public async Task WaitUntilInteractiveAsync() =>
        await Page.WaitForSelectorAsync("[data-interactive=true]");

    public async Task GotoAsync(Uri dashboard, string path)
    {
        await Page.GotoAsync(new Uri(dashboard, path).ToString());
        await WaitUntilInteractiveAsync();
    }

    public async Task ScreenshotAsync(string name) =>
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Artifacts.Directory, $"{name}.png"), FullPage = true });

    public async ValueTask DisposeAsync() => await Context.DisposeAsync();
}
