namespace Dashboard.BrowserTests;

/// <summary>Each role sees exactly its navigation and its scope of the audit log, and nothing more.</summary>
public sealed class RoleTests(BrowserSystem system)
{
    public static TheoryData<string, string[]> Roles => new()
    {
        { "admin@platform.local", [.. DashboardPages.All.Select(p => p.Entry)] },
        { "admin@acme.local", ["Home", "Audit log", "Usage and cost", "Pipeline", "Tenants and users", "Feedback"] },
        { "member@acme.local", ["Home", "Audit log", "Usage and cost", "Pipeline"] },
        { "support@platform.local", ["Home", "Audit log", "Usage and cost", "Pipeline", "Tenants and users", "System health", "Feedback"] },
    };

    [Theory]
    [MemberData(nameof(Roles))]
    public async Task EachRoleSeesExactlyItsNavigation(string email, string[] expected)
    {
        await using var session = await system.SignInAsync(email);

        var entries = await session.Page.Locator("nav[aria-label='Main navigation'] a").AllInnerTextsAsync();

        Assert.Equal(expected, entries.Select(e => e.Trim()).ToArray());
        foreach (var (entry, path) in new[] { ("Overview", "/overview"), ("Providers", "/providers"), ("System health", "/system-health"), ("Retention", "/retention"), ("Feedback", "/feedback") })
        {
            if (!expected.Contains(entry))
            {
                await session.Page.GotoAsync(new Uri(system.Dashboard, path).ToString());
                await session.Page.GetByText("Not available to your role").WaitForAsync();
            }
        }

        await session.GotoAsync("/");
        await session.ScreenshotAsync($"home-{email.Split('@')[0]}-{email.Split('@')[1].Split('.')[0]}");
        Assert.Empty(session.ConsoleErrors);
    }

    [Fact]
    public async Task ATenantAdminSeesOnlyTheirTenantAndAMemberOnlyTheirOwnActions()
    {
        // Activity in another tenant, and by another person in the same tenant.
        await system.TokenAsync("admin@globex.local");
        await system.TokenAsync("admin@acme.local");
        await system.TokenAsync("member@acme.local");

        await using (var admin = await system.SignInAsync("admin@acme.local"))
        {
            await admin.GotoAsync("/audit");
            var table = admin.Page.Locator("[data-testid=audit-events]");
            await table.WaitForAsync();
            var text = await table.InnerTextAsync();
            Assert.Contains("Acme Member", text);
            Assert.DoesNotContain("Globex", text);
            await admin.ScreenshotAsync("audit-log-tenant-admin");
            Assert.Empty(admin.ConsoleErrors);
        }

        await using var member = await system.SignInAtAsync("/audit", "member@acme.local");
        var rows = member.Page.Locator("[data-testid=audit-events] tbody tr");
        await rows.First.WaitForAsync();
        var actors = await member.Page.Locator("[data-testid=audit-events] tbody td[data-label=Actor]").AllInnerTextsAsync();
        Assert.NotEmpty(actors);
        Assert.All(actors, a => Assert.Equal("Acme Member", a.Trim()));
        Assert.Contains("your own actions", await member.Page.Locator("[data-testid=scope-note]").InnerTextAsync());
        Assert.Empty(member.ConsoleErrors);
    }

    [Fact]
    public async Task SupportSeesTheTenantColumnAndCanFilterByTenant()
    {
        await system.TokenAsync("admin@globex.local");
        await using var support = await system.SignInAtAsync("/audit", "support@platform.local");
        var table = support.Page.Locator("[data-testid=audit-events]");
        await table.WaitForAsync();

        Assert.Contains("Tenant", await table.Locator("thead").InnerTextAsync());
        var tenants = (await table.Locator("tbody td[data-label=Tenant]").AllInnerTextsAsync()).Select(t => t.Trim()).Distinct().ToList();
        Assert.All(tenants, t => Assert.Contains(t, new[] { "Acme", "Globex" }));
        await support.ScreenshotAsync("audit-log-support");
        Assert.Empty(support.ConsoleErrors);
    }

    [Fact]
    public async Task ASupportReadOfTheAuditLogIsAuditedOnceNotAgainWhenThePageTurnsInteractive()
    {
        var since = DateTimeOffset.UtcNow;
        var support = Subject(await system.TokenAsync("support@platform.local"));
        await using (var session = await system.SignInAsync("support@platform.local"))
        {
            await session.GotoAsync("/audit");
            await session.Page.Locator("[data-testid=audit-events]").WaitForAsync();
            // The circuit is connected; a second load of the first page would come moments after it.
            await Task.Delay(TimeSpan.FromSeconds(3));
            Assert.Empty(session.ConsoleErrors);
        }

        // Each list read leaves audit_log.viewed entries carrying its query string (with its own "from" instant).
        using var audit = new HttpClient { BaseAddress = system.Host.Url("auditservice") };
        audit.DefaultRequestHeaders.Authorization = new("Bearer", await system.TokenAsync("admin@platform.local"));
        var viewed = await audit.GetFromJsonAsync<JsonElement>(
            $"/api/v1/audit-events?action=audit_log.viewed&actor={support}&from={Uri.EscapeDataString(since.ToString("O"))}&limit=200");
        var listReads = viewed.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("metadata"))
            .Where(m => m.GetProperty("endpoint").GetString() == "list").Select(m => m.GetProperty("query").GetString()).Distinct().ToList();
        Assert.Single(listReads);
    }

    private static string Subject(string token)
    {
        var payload = token.Split('.')[1].Replace('-', '+').Replace('_', '/');
        var json = Convert.FromBase64String(payload.PadRight(payload.Length + (4 - payload.Length % 4) % 4, '='));
        return JsonDocument.Parse(json).RootElement.GetProperty("sub").GetString()!;
    }
}
