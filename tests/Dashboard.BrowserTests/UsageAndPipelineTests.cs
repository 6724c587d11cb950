using System.Net.Http.Json;
using System.Text.Json;
using Testing;

namespace Dashboard.BrowserTests;

public sealed class UsageAndPipelineTests(BrowserSystem system)
{
    [Fact]
    public async Task ASpendCapWarningShowsOnTheUsagePage()
    {
        // A new tenant on the free plan, whose budget this system runs with is a fraction of a cent.
        using var anonymous = new HttpClient { BaseAddress = system.Api };
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var signUp = await anonymous.PostAsJsonAsync("/api/auth/sign-up",
            new { email = $"owner-{suffix}@capped.test", password = "a-long-enough-password-1", displayName = "Capped Owner", tenantName = $"Capped {suffix}" });
        signUp.EnsureSuccessStatusCode();
        var token = (await signUp.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
        using var owner = system.ApiClient(token);
        var slug = (await owner.GetFromJsonAsync<JsonElement>("/api/tenants")).EnumerateArray().Single().GetProperty("slug").GetString()!;
        var created = await owner.PostAsJsonAsync("/api/activities", new { kind = "draft_article", input = "Spring product launch" });
        created.EnsureSuccessStatusCode();

        using var admin = system.ApiClient(await system.TokenAsync("admin@platform.local"));
        var cap = await Eventually.Async(async () =>
        {
            var caps = await admin.GetFromJsonAsync<JsonElement>("/api/usage/caps");
            return caps.EnumerateArray().Where(c => c.GetProperty("tenant").GetString() == slug && c.GetProperty("utilization").GetDouble() >= 0.8)
                .Select(c => (JsonElement?)c).FirstOrDefault();
        }, 90);
        Assert.True(cap!.Value.GetProperty("utilization").GetDouble() >= 0.8);

        await using var session = await system.SignInAsync("admin@platform.local");
        await session.GotoAsync(system.Dashboard, "/usage");
        var row = session.Page.Locator($"[data-testid=cap-row][data-tenant='{slug}']");
        await row.WaitForAsync();
        var status = (await row.Locator("[data-testid=cap-status]").InnerTextAsync()).Trim();
        Assert.Contains(status, new[] { "warning", "critical", "over_cap" });
        await session.ScreenshotAsync("usage-spend-cap");
        Assert.Empty(session.ConsoleErrors);
    }

    [Fact]
    public async Task AnActivitysPageIsItsDebuggerAndApprovalCompletesIt()
    {
        using var acme = system.ApiClient(await system.TokenAsync("admin@acme.local"));
        var created = await acme.PostAsJsonAsync("/api/activities", new { kind = "research_topics", input = "Pricing pages that convert" });
        created.EnsureSuccessStatusCode();
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        await Eventually.Async(async () =>
        {
            var activity = await acme.GetFromJsonAsync<JsonElement>($"/api/activities/{id}");
            return activity.GetProperty("activity").GetProperty("status").GetString() == "awaiting_approval" ? (bool?)true : null;
        }, 90);

        await using var session = await system.SignInAsync("admin@acme.local");
        await session.GotoAsync(system.Dashboard, $"/pipeline/{id}");
        await session.Page.Locator("[data-testid=awaiting-approval]").WaitForAsync();
        Assert.Equal(2, await session.Page.Locator("[data-testid=llm-calls] tbody tr").CountAsync());
        await session.ScreenshotAsync("activity-awaiting-approval");
        await session.Page.ClickAsync("[data-testid=approve]");
        await session.Page.Locator("[data-testid=activity-status]", new() { HasText = "completed" }).WaitForAsync();
        Assert.Empty(session.ConsoleErrors);
    }
}
