using Api.Contracts;

namespace Dashboard.BrowserTests;

/// <summary>The whole system started by the real AppHost, and one Chromium, shared by every browser test.</summary>
public sealed class BrowserSystem : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public PlatformApp Host { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;
    public const string FreePlanBudgetUsd = "0.00015";
    private const int SignInAttempts = 3;

    public Uri Dashboard => Host.Url("dashboard");
    public Uri Api => Host.Url("api");

    /// <summary>The Api's access token for a user (a seeded one's password unless one is given), for arranging data the way a client would.</summary>
    public async Task<string> TokenAsync(string email, string? password = null)
    {
        using var http = new HttpClient();
        return (await http.SignInAsync(email, password ?? Host.Password(email), Api)).AccessToken;
    }

    /// <summary>A new tenant (on the free plan) through the Api's sign-up, with its owner's sign-in and Api client.</summary>
    public async Task<SignedUpTenant> SignUpAsync(string name)
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var (email, password) = ($"owner-{suffix}@{name}.test", "a-long-enough-password-1");
        using var anonymous = new HttpClient { BaseAddress = Api };
        var session = await anonymous.SignUpAsync(new SignUpRequest(email, password, $"{name} owner", $"{name} {suffix}"));
        var owner = ApiClient(session.AccessToken);
        var tenant = Assert.Single((await owner.GetFromJsonAsync<List<Tenant>>("/api/tenants"))!);
        return new SignedUpTenant(email, password, tenant.Id, tenant.Slug, owner);
    }

    public HttpClient ApiClient(string token) => new HttpClient { BaseAddress = Api }.WithBearer(token);

    /// <summary>An Api client signed in as a seeded user.</summary>
    public async Task<HttpClient> ApiClientForAsync(string email) => ApiClient(await TokenAsync(email));

    public async ValueTask InitializeAsync()
    {
        // A tiny budget on the free plan lets a test trip the spend-cap warnings with a few simulated LLM calls.
        // Every browser signs in through the Dashboard, which reaches the Api from one address: the per-address
        // sign-in limit is raised for this run so dozens of test sign-ins are not throttled. Every cross-tenant read is
        // audited (no once-per-window memory), so a test can count the reads a page makes whatever ran before it. Retention
        // runs 5 s after AuditService starts, before any test arranges expired data, so only "Run now" drops that.
        Host = await PlatformApp.StartAsync(new PlatformOptions
        {
            AspireDashboard = true,
            Environment =
            [
                ("api", "Plans__free__MonthlyBudgetUsd", FreePlanBudgetUsd),
                ("api", "RateLimits__Auth__PermitLimit", "10000"),
                ("auditservice", "ReadAudit__Window", "00:00:00"),
                ("auditservice", "Retention__FirstRunDelay", "00:00:05"),
            ],
        });
        (_playwright, Browser) = await Chromium.LaunchAsync();
    }

    /// <summary>
    /// A fresh browser context signed in as the user (a seeded user's password unless one is given), recording console
    /// errors; <paramref name="timeZone"/> is the browser's IANA zone (the machine's when null).
    /// </summary>
    public async Task<SignedInPage> SignInAsync(string email, string? password = null, string? timeZone = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            var context = await Browser.NewContextAsync(new BrowserNewContextOptions
            {
                ViewportSize = new ViewportSize { Width = 1366, Height = 900 },
                TimezoneId = timeZone,
            });
            var page = await context.NewPageAsync();
            var signedIn = new SignedInPage(context, page, Dashboard);
            try
            {
                await page.GotoAsync(new Uri(Dashboard, "/sign-in").ToString());
                // blazor.web.js starts up on the sign-in page too; let it settle before typing.
                await page.WaitForLoadStateAsync(LoadState.NetworkIdle, new PageWaitForLoadStateOptions { Timeout = 15_000 });
                await page.FillAsync("#email", email);
                await page.FillAsync("#password", password ?? Host.Password(email));
                if (attempt < SignInAttempts && !await Chromium.PaintsAsync(page))
                {
                    throw new TimeoutException("The sign-in page painted no frame.");
                }

                // A click that times out waiting for the button to be "stable" was never made: nothing reached the server.
                await page.ClickAsync("[data-testid=sign-in-submit]");
            }
            catch (TimeoutException stalled) when (attempt < SignInAttempts)
            {
                // Now and then, on a loaded machine, a fresh page of headless Chromium paints nothing (no animation frame
                // ever runs) or never goes idle, and a click on it waits for "stable" until it times out. Such a page does
                // not recover, so the sign-in starts again in a new context; the test's output says it happened. Only the
                // steps before the form is sent are retried, so no sign-in is ever made twice.
                TestContext.Current.TestOutputHelper?.WriteLine($"Sign-in attempt {attempt} of {email} stalled ({stalled.Message}); trying a new browser context.");
                await signedIn.DisposeAsync();
                continue;
            }
            catch
            {
                await signedIn.DisposeAsync();
                throw;
            }

            try
            {
                await signedIn.WaitUntilInteractiveAsync();
                return signedIn;
            }
            catch
            {
                await signedIn.DisposeAsync();
                throw;
            }
        }
    }

    /// <summary>Signs the user in as <see cref="SignInAsync"/> does, then opens the Dashboard's <paramref name="path"/>.</summary>
    public async Task<SignedInPage> SignInAtAsync(string path, string email, string? password = null)
    {
        var signedIn = await SignInAsync(email, password);
        try
        {
            await signedIn.GotoAsync(path);
            return signedIn;
        }
        catch
        {
            await signedIn.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        // The services' own output, for whoever reads a failed run.
        await File.WriteAllTextAsync(Path.Combine(Artifacts.Directory, "browser-tests-apphost.log"), Host.Output);
        await Host.DisposeAsync();
    }
}

public sealed class SignedInPage : IAsyncDisposable
{
    private readonly Uri _dashboard;

    public SignedInPage(IBrowserContext context, IPage page, Uri dashboard)
    {
        Context = context;
        Page = page;
        _dashboard = dashboard;
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

    /// <summary>Opens the Dashboard's <paramref name="path"/> and waits until it answers clicks.</summary>
    public async Task GotoAsync(string path)
    {
        await Page.GotoAsync(new Uri(_dashboard, path).ToString());
        await WaitUntilInteractiveAsync();
    }

    public async Task ScreenshotAsync(string name) =>
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Artifacts.Directory, $"{name}.png"), FullPage = true });

    public async ValueTask DisposeAsync() => await Context.DisposeAsync();
}

/// <summary>A tenant a test signed up: its owner (a tenant admin) and the owner's Api client.</summary>
public sealed record SignedUpTenant(string Email, string Password, Guid Id, string Slug, HttpClient Owner) : IDisposable
{
    public void Dispose() => Owner.Dispose();
}
