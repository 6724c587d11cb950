using Microsoft.Playwright;

namespace Dashboard.BrowserTests;

public sealed class SignInTests(BrowserSystem system)
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
        Assert.DoesNotContain("eyJ", string.Join(";", cookies.Select(c => c.Value)), StringComparison.Ordinal);
        var storage = await session.Page.EvaluateAsync<string>("() => JSON.stringify(localStorage) + JSON.stringify(sessionStorage)");
        Assert.DoesNotContain("eyJ", storage, StringComparison.Ordinal);

        await session.Page.ClickAsync("[data-testid=sign-out]");
        await session.Page.WaitForURLAsync("**/sign-in**");
        await session.Page.GotoAsync(new Uri(system.Dashboard, "/audit").ToString());
        Assert.Contains("/sign-in", session.Page.Url);
        Assert.Empty(session.ConsoleErrors);
    }
}
