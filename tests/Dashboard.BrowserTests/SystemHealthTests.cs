namespace Dashboard.BrowserTests;

public sealed class SystemHealthTests(BrowserSystem system)
{
    [Fact]
    public async Task SystemHealthShowsThePlatformsChecksBesideEveryServiceHealthyWithItsChecks()
    {
        await using var session = await system.SignInAtAsync("/system-health", "admin@platform.local");

        foreach (var service in new[] { "auditservice", "api", "dashboard" })
        {
            var card = session.Page.Locator($"[data-testid=health-{service}]");
            await card.WaitForAsync();
            Assert.Equal("Healthy", await card.Locator("[data-testid=status]").InnerTextAsync());
        }

        Assert.Contains("auditdb", await session.Page.Locator("[data-testid=health-auditservice]").InnerTextAsync());

        // Beside them, the Api's own report: status, database, request counts (kept in the database) and recent activity.
        var report = session.Page.Locator("[data-testid=system-report]");
        await report.Locator("[data-testid=database]").WaitForAsync();
        Assert.Equal("healthy", (await report.Locator("[data-testid=status]").InnerTextAsync()).Trim());
        Assert.Equal("connected", (await report.Locator("[data-testid=database]").InnerTextAsync()).Trim());
        Assert.True(long.Parse((await report.Locator("[data-testid=requests]").InnerTextAsync()).Trim(), System.Globalization.NumberStyles.AllowThousands,
            System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.True(long.Parse((await report.Locator("[data-testid=sign-ins]").InnerTextAsync()).Trim(), System.Globalization.NumberStyles.AllowThousands,
            System.Globalization.CultureInfo.InvariantCulture) > 0);
        await session.ScreenshotAsync("system-health");
        Assert.Empty(session.ConsoleErrors);
    }
}
