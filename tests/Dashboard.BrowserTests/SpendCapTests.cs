using System.Globalization;
using System.Net;

namespace Dashboard.BrowserTests;

/// <summary>Spend caps as a tenant's admins and the platform's see them: banner, bell, the refusal, a raise, charts that fit.</summary>
public sealed class SpendCapTests(BrowserSystem system)
{
    private static string Month => DateTime.UtcNow.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    [Fact]
    public async Task ATenantsAdminSeesTheSpendBannerOnEveryPageAndTheCrossingInTheBell()
    {
        using var tenant = await system.SignUpAsync("bannered");
        await UsageAndPipelineTests.CreateActivityAsync(tenant.Owner, "research_topics");
        await UtilizationAtLeastAsync(tenant, 0.8);

        await using var session = await system.SignInAsync(tenant.Email, tenant.Password);
        foreach (var path in new[] { "/", "/audit", "/pipeline" })
        {
            await session.GotoAsync(path);
            var banner = session.Page.Locator("[data-testid=spend-banner]");
            await banner.WaitForAsync();
            Assert.Contains(await banner.GetAttributeAsync("data-threshold"), new[] { "80", "95", "100" });
            Assert.Contains($"for {Month}", await banner.InnerTextAsync());
        }

        await session.ScreenshotAsync("spend-banner");
        await session.Page.ClickAsync("[data-testid=notifications-bell]");
        await session.Page.Locator("[data-testid=notification]", new() { HasText = "monthly LLM budget is spent" }).First.WaitForAsync();
        Assert.Empty(session.ConsoleErrors);

        // Another tenant's admin sees no banner of it.
        await using var acme = await system.SignInAtAsync("/", "admin@acme.local");
        Assert.Equal(0, await acme.Page.Locator("[data-testid=spend-banner]").CountAsync());
    }

    [Fact]
    public async Task AtTheCapNewWorkIsRefusedUpFrontAndASuperAdminRaisesTheCapFromTheUsagePage()
    {
        using var tenant = await system.SignUpAsync("raised");
        await UsageAndPipelineTests.CreateActivityAsync(tenant.Owner, "draft_article");
        await UtilizationAtLeastAsync(tenant, 1);

        var refused = await tenant.Owner.PostAsJsonAsync("/api/activities", new { kind = "research_topics", input = "More" });
        Assert.Equal(HttpStatusCode.PaymentRequired, refused.StatusCode);
        Assert.Contains($"for {Month} is $0.", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());

        await using var session = await system.SignInAsync("admin@platform.local");
        // The Tenants page shows the plan's budget as it is, not rounded to "$0".
        await session.GotoAsync("/tenants");
        var spend = session.Page.Locator("[data-testid=tenants] tr", new() { HasText = tenant.Slug }).Locator("[data-testid=spend]");
        Assert.Contains($" of ${BrowserSystem.FreePlanBudgetUsd}", await spend.InnerTextAsync());

        await session.GotoAsync("/usage");
        var row = session.Page.Locator($"[data-testid=cap-row][data-tenant='{tenant.Slug}']");
        await row.Locator("[data-testid=raise-cap]").ClickAsync();
        await row.GetByLabel("Budget (USD)").FillAsync("0.0001");
        await row.GetByLabel("Reason").FillAsync("Launch week");
        await row.Locator("[data-testid=raise-submit]").ClickAsync();
        var error = row.Locator("[data-testid=raise-error]");
        await error.WaitForAsync();
        Assert.Contains($"at least the free plan's budget of ${BrowserSystem.FreePlanBudgetUsd}", await error.InnerTextAsync());

        await row.GetByLabel("Budget (USD)").FillAsync("5");
        await row.Locator("[data-testid=raise-submit]").ClickAsync();
        // Far from the new cap, the tenant leaves the "near or over" list.
        await row.WaitForAsync(new() { State = WaitForSelectorState.Detached });
        await session.GotoAsync("/tenants");
        Assert.Contains($" of $5.00 (raised for {Month})", await spend.InnerTextAsync());
        await session.ScreenshotAsync("tenants-raised-cap");
        Assert.Empty(session.ConsoleErrors);

        Assert.Equal(HttpStatusCode.Created, (await tenant.Owner.PostAsJsonAsync("/api/activities", new { kind = "research_topics", input = "More" })).StatusCode);
    }

    [Fact]
    public async Task OnDayOneTheCostChartFitsItsOneBarAndTheCostPerAgentRoleAndRouteShows()
    {
        using var tenant = await system.SignUpAsync("dayone");
        var id = await UsageAndPipelineTests.CreateActivityAsync(tenant.Owner, "research_topics");
        // Both stages done (the second may be refused: the budget is a fraction of a cent).
        await Eventually.Async(async () => (await tenant.Owner.GetFromJsonAsync<JsonElement>($"/api/activities/{id}"))
            .GetProperty("activity").GetProperty("status").GetString() is "awaiting_approval" or "dead_letter" ? (bool?)true : null, 90);
        var report = await tenant.Owner.GetFromJsonAsync<JsonElement>("/api/usage");
        var total = (double)report.GetProperty("totalCostUsd").GetDecimal();

        await using var session = await system.SignInAtAsync("/usage", tenant.Email, tenant.Password);
        var chart = session.Page.Locator("[data-testid=cost-chart]");
        await chart.WaitForAsync();
        await session.ScreenshotAsync("usage-day-one");

        // One day of spend: one bar, and an axis whose top is the first nice step above it, not 0-20.
        var bars = chart.Locator("[data-testid=bar]");
        Assert.Equal(1, await bars.CountAsync());
        var ticks = (await chart.Locator("[data-testid=y-tick]").AllTextContentsAsync())
            .Select(t => double.Parse(t.TrimStart('$'), CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(0, ticks[0]);
        Assert.InRange(ticks[^1], total, total * 2.5);
        Assert.InRange(ticks.Count, 3, 11);

        var roles = session.Page.Locator("[data-testid=cost-by-role] [data-testid=cost-share]");
        Assert.Equal(["researcher", "reviewer"], (await roles.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.name)")).Order());
        var route = session.Page.Locator("[data-testid=cost-by-route] [data-testid=cost-share][data-name=research_topics]");
        Assert.Equal(Api.Contracts.Usd.Text((decimal)total), (await route.Locator("[data-testid=cost]").InnerTextAsync()).Trim());
        Assert.Empty(session.ConsoleErrors);
    }

    /// <summary>Waits until the tenant's spend this month is at least <paramref name="utilization"/> of its budget.</summary>
    private static async Task UtilizationAtLeastAsync(SignedUpTenant tenant, double utilization) =>
        await Eventually.Async(async () =>
            (await tenant.Owner.GetFromJsonAsync<JsonElement>("/api/usage/caps?minUtilization=0")).EnumerateArray()
                .Any(c => c.GetProperty("utilization").GetDouble() >= utilization) ? (bool?)true : null, 90);
}
