namespace Dashboard.BrowserTests;

public sealed class SystemHealthTests(BrowserSystem system)
{
    [Fact]
    public async Task SystemHealthShowsEveryServiceHealthyWithItsChecks()
    {
        await using var session = await system.SignInAsync("admin@platform.local");
        await session.GotoAsync(system.Dashboard, "/system-health");

        foreach (var service in new[] { "auditservice", "api", "dashboard" })
        {
            var card = session.Page.Locator($"[data-testid=health-{service}]");
            await card.WaitForAsync();
            Assert.Equal("Healthy", await card.Locator("[data-testid=status]").InnerTextAsync());
        }

        Assert.Contains("auditdb", await session.Page.Locator("[data-testid=health-auditservice]").InnerTextAsync());
        await session.ScreenshotAsync("system-health");
        Assert.Empty(session.ConsoleErrors);
    }
}
