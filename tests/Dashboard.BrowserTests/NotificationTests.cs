using System.Net.Http.Headers;

namespace Dashboard.BrowserTests;

public sealed class NotificationTests(BrowserSystem system)
{
    [Fact]
    public async Task AnAlertForATenantRingsItsAdminsBellAndOpeningItMarksItRead()
    {
        await using var session = await system.SignInAsync("admin@acme.local");
        var page = session.Page;
        var summary = $"Tenant acme reached its LLM spend cap ({Guid.NewGuid():N})";

        // As Alertmanager delivers it, with the webhook secret the AppHost generated.
        using var alertmanager = new HttpClient { BaseAddress = system.Api };
        alertmanager.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", system.Host.Secret("alert-webhook-secret"));
        var delivered = await alertmanager.PostAsJsonAsync("/api/alerts/alertmanager", new
        {
            version = "4",
            status = "firing",
            alerts = new[]
            {
                new
                {
                    status = "firing",
                    labels = new Dictionary<string, string> { ["alertname"] = "TenantSpendCapReached", ["severity"] = "critical", ["tenant"] = "acme" },
                    annotations = new Dictionary<string, string> { ["summary"] = summary },
                    startsAt = DateTimeOffset.UtcNow,
                    fingerprint = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()[..8]),
                },
            },
        });
        delivered.EnsureSuccessStatusCode();

        // The bell polls; the badge shows the unread count without a reload.
        var badge = page.Locator("[data-testid=notifications-unread] .mud-badge");
        await badge.WaitForAsync(new() { Timeout = 40_000 });
        await page.ClickAsync("[data-testid=notifications-bell]");
        var item = page.Locator("[data-testid=notification]", new() { HasText = summary });
        await item.WaitForAsync();
        await page.WaitForTimeoutAsync(500); // the menu fades in
        await session.ScreenshotAsync("notifications-open");
        Assert.Equal("false", await item.GetAttributeAsync("data-read"));

        // Opening it marks it read: the badge goes, and the Api says so.
        await item.ClickAsync();
        await badge.WaitForAsync(new() { State = Microsoft.Playwright.WaitForSelectorState.Hidden, Timeout = 40_000 });
        using var api = await system.ApiClientForAsync("admin@acme.local");
        var list = await api.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/notifications");
        var read = list.GetProperty("items").EnumerateArray().Single(n => n.GetProperty("summary").GetString() == summary);
        Assert.True(read.GetProperty("read").GetBoolean());
        Assert.Empty(session.ConsoleErrors);
    }

    [Fact]
    public async Task AMemberHasNoBell()
    {
        await using var session = await system.SignInAsync("member@acme.local");

        await session.Page.Locator("[data-testid=signed-in-as]").WaitForAsync();

        Assert.Equal(0, await session.Page.Locator("[data-testid=notifications-bell]").CountAsync());
    }
}
