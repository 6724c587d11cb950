namespace Dashboard.BrowserTests;

/// <summary>Every page opens for a super admin without a console error, and leaves a screenshot behind.</summary>
public sealed class EveryPageTests(BrowserSystem system)
{
    public static TheoryData<string, string> Pages => new(DashboardPages.All.Select(p => (p.Path, p.Heading)));

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task PageRendersItsHeadingWithoutConsoleErrors(string path, string heading)
    {
        await using var session = await system.SignInAtAsync(path, "admin@platform.local");

        await session.Page.Locator("h1", new() { HasText = heading }).WaitForAsync();
        await session.Page.WaitForLoadStateAsync(Microsoft.Playwright.LoadState.NetworkIdle);
        await Assert.ThrowsAsync<TimeoutException>(() => session.Page.Locator("[data-testid=error-state]").WaitForAsync(new() { Timeout = 1500 }));
        var name = path == "/" ? "home" : path.Trim('/').Replace('/', '-');
        await session.ScreenshotAsync($"page-{name}");
        Assert.Empty(session.ConsoleErrors);
    }

    [Fact]
    public async Task ATeamPlansHomeShowsTeamActivityByNameNotById()
    {
        // Signing in is itself audited, so the team's admin has activity on the team plan's Home page.
        await using var session = await system.SignInAtAsync("/", "admin@globex.local");

        var team = session.Page.Locator("[data-testid=team-activity] tbody");
        await team.WaitForAsync();
        var who = (await team.Locator("tr td:first-child").AllInnerTextsAsync()).Select(t => t.Trim()).ToList();
        Assert.Contains("Globex Admin", who);
        Assert.DoesNotContain(who, w => Guid.TryParse(w, out _));
        Assert.Empty(session.ConsoleErrors);
    }

    [Fact]
    public async Task ATeamOfMoreThanTenSaysHowManyPeopleItsTopTenAreOf()
    {
        var globex = await system.TenantIdAsync("admin@globex.local", "globex");
        await system.WritePeopleAsync(globex, "teammate", 12);

        await using var session = await system.SignInAtAsync("/", "admin@globex.local");

        var caption = session.Page.Locator("[data-testid=team-activity] [data-testid=team-size]");
        await caption.WaitForAsync();
        Assert.Matches(@"^The 10 most active of (1[3-9]|[2-9]\d|\d{3,}) people\.$", (await caption.InnerTextAsync()).Trim());
        Assert.Equal(10, await session.Page.Locator("[data-testid=team-activity] tbody tr").CountAsync());
        Assert.Empty(session.ConsoleErrors);
    }

    [Fact]
    public async Task TheLayoutWorksOnATabletAndInTheDarkTheme()
    {
        await using var session = await system.SignInAsync("admin@acme.local");
        await session.Page.SetViewportSizeAsync(820, 1180);
        await session.GotoAsync("/audit");
        await session.Page.ClickAsync("[data-testid=theme-toggle]");
        await session.Page.Locator("h1", new() { HasText = "Audit log" }).WaitForAsync();
        await session.ScreenshotAsync("tablet-dark-audit");
        Assert.Empty(session.ConsoleErrors);
    }
}
