using System.Globalization;
using Audit.Contracts;

namespace Dashboard.BrowserTests;

/// <summary>The audit log's filters as people use them, its 24-hour summary, times in the reader's zone, and links to a view.</summary>
public sealed class AuditLogFilterTests(BrowserSystem system)
{
    [Fact]
    public async Task AUserPickedByNameOrEmailAndAnActorTypeNarrowTheLog()
    {
        var tenant = await system.AcmeAsync();
        using var admin = await system.ApiClientForAsync("admin@acme.local");
        var member = (await admin.GetFromJsonAsync<JsonElement>("/api/users")).EnumerateArray().Select(u => u.GetProperty("user"))
            .Single(u => u.GetProperty("email").GetString() == "member@acme.local");
        var action = AuditData.UniqueAction("actors");
        var byMember = Enumerable.Range(0, 2).Select(i => AuditData.Event(tenant, action, index: i)).ToArray();
        foreach (var e in byMember)
        {
            e.Actor = new ActorDto { Type = "human", Id = member.GetProperty("id").GetString(), Name = member.GetProperty("displayName").GetString(), Email = "member@acme.local" };
        }

        var byAgent = AuditData.Event(tenant, action, index: 3);
        byAgent.Actor = new ActorDto { Type = "agent", Id = "writer-agent", Name = "Writer agent" };
        byAgent.Resource = new ResourceDto { Type = "activity", Id = "a-1", Name = "Draft" };
        await system.WriteAsync([.. byMember, byAgent, AuditData.Event(tenant, action, index: 4)]);

        await using var session = await system.SignInAtAsync($"/audit?action={action}", "admin@acme.local");
        Assert.Equal(4, await session.FilteredRowsAsync(action));

        // The picker finds people by part of their email and shows their name; the filter is their id.
        await session.PickAsync("User", "member@acme", "member@acme.local");
        await session.ApplyFiltersAsync(actors => actors.Count == 2 && actors.All(a => a == member.GetProperty("displayName").GetString()), "Actor");
        Assert.Contains($"actor={member.GetProperty("id").GetString()}", session.Page.Url);

        // Actor type: agents only (the user cleared first).
        await session.ClearFiltersAsync();
        await session.Page.GetByLabel("Action").FillAsync(action);
        await session.ChooseAsync("Actor type", "Agent");
        await session.ApplyFiltersAsync(actors => actors is ["Writer agent"], "Actor");
        Assert.Contains("actorType=agent", session.Page.Url);

        // Resource type, suggested from the platform's own types.
        await session.ClearFiltersAsync();
        await session.Page.GetByLabel("Action").FillAsync(action);
        await session.PickAsync("Resource type", "activ", "activity");
        await session.ApplyFiltersAsync(resources => resources is ["activity Draft"], "Resource");
        await session.ScreenshotAsync("audit-filters-people");
        Assert.Empty(session.ConsoleErrors);
    }

    [Fact]
    public async Task PlatformEventsReadPlatformAndCanBeChosenAsTheTenant()
    {
        // The super admin's own sign-in is a platform event: it has no customer tenant.
        await using var session = await system.SignInAtAsync("/audit?action=user.signed_in", "admin@platform.local");
        await session.FilteredRowsAsync("user.signed_in");
        Assert.DoesNotContain(await session.ColumnAsync("Tenant"), t => t.StartsWith("00000000", StringComparison.Ordinal));

        await session.ChooseAsync("Tenant", "Platform (no tenant)");
        await session.ApplyFiltersAsync(tenants => tenants.Count > 0 && tenants.All(t => t == "Platform"), "Tenant");
        Assert.Contains($"tenant={AuditTenants.Platform}", session.Page.Url);
        Assert.Empty(session.ConsoleErrors);
    }

    [Fact]
    public async Task TheSummaryCountsTheLastDayForTheFiltersAndNarrowsOnAClick()
    {
        var action = await system.WriteAcmeEventsAsync("summary", ("info", 4), ("warning", 1), ("error", 3), ("critical", 2));
        var old = AuditData.Event(await system.AcmeAsync(), action, "critical");
        old.OccurredAt = DateTimeOffset.UtcNow.AddDays(-2);
        await system.WriteAsync(old);

        await using var session = await system.SignInAtAsync($"/audit?action={action}", "admin@acme.local");
        var summary = session.Page.Locator("[data-testid=audit-summary][data-loaded=true]");
        await summary.WaitForAsync();
        async Task<string> Card(string id) => (await summary.Locator($"[data-testid={id}] [data-testid=value]").InnerTextAsync()).Trim();
        Assert.Equal("10", await Card("summary-total"));
        Assert.Equal("2", await Card("summary-critical"));
        Assert.Equal("3", await Card("summary-errors"));
        Assert.Equal("1", await Card("summary-warnings"));
        Assert.Contains(action, await summary.Locator("[data-testid=summary-top-actions]").InnerTextAsync());
        Assert.Contains("Browser tests", await summary.Locator("[data-testid=summary-top-actors]").InnerTextAsync());
        // The 7-day list holds the older entry too; the summary is the last day only.
        Assert.Equal(11, await session.FilteredRowsAsync(action));

        await summary.Locator("[data-testid=summary-top-actors] a", new() { HasText = "Browser tests" }).ClickAsync();
        await session.Page.WaitForURLAsync(url => url.Contains("actor=browser-tests", StringComparison.Ordinal));
        await session.ScreenshotAsync("audit-summary");
        Assert.Empty(session.ConsoleErrors);
    }

    [Fact]
    public async Task TimesShowInTheTenantsZoneWithUtcOnHover()
    {
        // A tenant of its own, set to India (UTC+05:30, no daylight saving), so the test owns the setting.
        using var zoned = await system.SignUpAsync("zoned");
        var tenant = zoned.Id;
        (await zoned.Owner.PutAsJsonAsync($"/api/tenants/{tenant}/settings", new { timezone = "Asia/Kolkata" })).EnsureSuccessStatusCode();
        var action = AuditData.UniqueAction("zone");
        var at = new DateTimeOffset(DateTime.UtcNow.Date.AddHours(-1).AddMinutes(50), TimeSpan.Zero);
        var entry = AuditData.Event(tenant, action);
        entry.OccurredAt = at;
        await system.WriteAsync(entry);

        // The browser says Los Angeles; the tenant's setting wins.
        await using (var session = await system.SignInAsync(zoned.Email, zoned.Password, "America/Los_Angeles"))
        {
            await session.GotoAsync($"/audit?action={action}");
            await session.FilteredRowsAsync(action);
            var time = session.Page.Locator("[data-testid=audit-events] tbody td[data-label=Time] time");
            Assert.Equal(at.ToOffset(TimeSpan.FromHours(5.5)).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), (await time.InnerTextAsync()).Trim());
            Assert.Equal(at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff 'UTC'", CultureInfo.InvariantCulture), await time.GetAttributeAsync("title"));
            Assert.Contains("Asia/Kolkata", await session.Page.Locator("[data-testid=time-zone]").InnerTextAsync());
            Assert.Empty(session.ConsoleErrors);
        }

        // A reader without a tenant (support, super admin) reads their browser's zone.
        await using (var session = await system.SignInAsync("admin@platform.local", timeZone: "America/Los_Angeles"))
        {
            await session.GotoAsync($"/audit?action={action}");
            await session.FilteredRowsAsync(action);
            var zone = TimeZoneInfo.FindSystemTimeZoneById("America/Los_Angeles");
            var time = session.Page.Locator("[data-testid=audit-events] tbody td[data-label=Time] time");
            Assert.Equal(TimeZoneInfo.ConvertTime(at, zone).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), (await time.InnerTextAsync()).Trim());
            Assert.Contains("America/Los_Angeles", await session.Page.Locator("[data-testid=time-zone]").InnerTextAsync());
            Assert.Empty(session.ConsoleErrors);
        }
    }

    [Fact]
    public async Task TheFiltersLiveInTheAddressSoALinkOpensTheSameView()
    {
        var action = await system.WriteAcmeEventsAsync("link", ("info", 2), ("critical", 2));

        string link;
        await using (var session = await system.SignInAsync("admin@acme.local"))
        {
            await session.GotoAsync("/audit");
            await session.Page.GetByLabel("Action").FillAsync(action);
            await session.Page.GetByText("Errors only").ClickAsync();
            await session.Page.ClickAsync("[data-testid=preset-24h]");
            Assert.Equal(2, await session.FilteredRowsAsync(action));
            link = session.Page.Url;
            Assert.Contains("errors=true", link);
            Assert.Contains("range=24h", link);

            // Back returns to the view before: the unfiltered log.
            await session.Page.GoBackAsync();
            await Eventually.Async(async () => (await session.ColumnAsync("Action")).Any(a => a != action) ? (bool?)true : null, 30);
        }

        // Someone else with the link sees the same view, the form filled in as it was.
        await using var other = await system.SignInAtAsync(new Uri(link).PathAndQuery, "admin@acme.local");
        Assert.Equal(2, await other.FilteredRowsAsync(action));
        Assert.All(await other.ColumnAsync("Severity"), s => Assert.Equal("critical", s));
        Assert.Equal(action, await other.Page.GetByLabel("Action").InputValueAsync());
        Assert.True(await other.Page.GetByLabel("Errors only").IsCheckedAsync());
        Assert.Empty(other.ConsoleErrors);
    }
}
