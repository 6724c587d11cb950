namespace Dashboard.BrowserTests;

public sealed partial class SignInTests(BrowserSystem system)
{
    [Fact]
    public async Task AWrongPasswordIsRefusedWithAClearMessageAndNoSession()
    {
        var context = await system.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(system.Dashboard, "/audit").ToString());

        Assert.Contains("/sign-in", page.Url);
        await page.WaitForLoadStateAsync(Microsoft.Playwright.LoadState.NetworkIdle);
        await page.FillAsync("#email", "admin@platform.local");
        await page.FillAsync("#password", "not-the-password");
        await page.ClickAsync("[data-testid=sign-in-submit]");

        var error = page.Locator("[data-testid=sign-in-error]");
        await error.WaitForAsync();
        Assert.Contains("wrong", await error.InnerTextAsync());
        Assert.DoesNotContain(await context.CookiesAsync(), c => c.Name == "dashboard.session");
        await context.DisposeAsync();
    }

    [Fact]
    public async Task SigningInKeepsTheTokenOnTheServerAndSigningOutEndsTheSession()
    {
        await using var session = await system.SignInAsync("admin@platform.local");

        var cookies = await session.Context.CookiesAsync();
        var cookie = Assert.Single(cookies, c => c.Name == "dashboard.session");
        Assert.True(cookie.HttpOnly);
        // A JWT is header.payload.signature, both JSON objects, so "eyJ…" twice with a dot between. Not just "eyJ":
        // the encrypted session cookie is random base64url and holds those three letters now and then (a flake).
        Assert.DoesNotMatch(JwtShape(), string.Join(";", cookies.Select(c => c.Value)));
        var storage = await session.Page.EvaluateAsync<string>("() => JSON.stringify(localStorage) + JSON.stringify(sessionStorage)");
        Assert.DoesNotMatch(JwtShape(), storage);

        // The sign-in went through the Dashboard's server, yet the audit log names the browser, not the Dashboard.
        var browserAgent = await session.Page.EvaluateAsync<string>("() => navigator.userAgent");
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Add("X-Api-Key", system.Host.Secret("ops-audit-read-key"));
        var signedIn = await Testing.Eventually.Async(async () =>
        {
            var page = await System.Net.Http.Json.HttpClientJsonExtensions.GetFromJsonAsync<Audit.Contracts.AuditEventPage>(
                http, new Uri(system.Host.Url("auditservice"), "/api/v1/audit-events?action=user.signed_in&limit=50"));
            return page!.Items.FirstOrDefault(e => e.Actor.Email == "admin@platform.local" && e.UserAgent == browserAgent);
        });
        var address = System.Net.IPAddress.Parse(signedIn.IpAddress!);
        Assert.True(System.Net.IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address), signedIn.IpAddress);

        await session.Page.ClickAsync("[data-testid=sign-out]");
        await session.Page.WaitForURLAsync("**/sign-in**");
        await session.Page.GotoAsync(new Uri(system.Dashboard, "/audit").ToString());
        Assert.Contains("/sign-in", session.Page.Url);
        Assert.Empty(session.ConsoleErrors);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"eyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]+\.")]
    private static partial System.Text.RegularExpressions.Regex JwtShape();
}
