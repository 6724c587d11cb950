using Audit.Contracts;

namespace Dashboard.BrowserTests;

public sealed class FeedbackTests(BrowserSystem system)
{
    [Fact]
    public async Task FeedbackSentFromAnyPageIsTriagedByAnAdminAndTheChangeIsAudited()
    {
        await using var session = await system.SignInAtAsync("/audit", "admin@platform.local");
        var page = session.Page;
        var message = $"The export button is hard to find {Guid.NewGuid():N}";

        await page.ClickAsync("[data-testid=feedback-button]");
        await page.GetByLabel("Message").FillAsync(message);
        await page.ClickAsync("[data-testid=feedback-send]");
        await page.GetByText("Thanks, your feedback was sent.").WaitForAsync();

        await session.GotoAsync("/feedback");
        var row = page.Locator("[data-testid=feedback-table] tr", new() { HasText = message });
        await row.WaitForAsync();
        await session.ScreenshotAsync("feedback-pending");
        await row.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Mark reviewed" }).ClickAsync();
        await page.GetByText("Marked reviewed.").WaitForAsync();

        await page.GetByRole(Microsoft.Playwright.AriaRole.Tab, new() { Name = "Reviewed" }).ClickAsync();
        await page.Locator("[data-testid=feedback-table] tr", new() { HasText = message }).WaitForAsync();

        using var http = new HttpClient();
        http.DefaultRequestHeaders.Add("X-Api-Key", system.Host.Secret("ops-audit-read-key"));
        var triaged = await Eventually.Async(async () =>
        {
            var events = await http.GetFromJsonAsync<AuditEventPage>(new Uri(system.Host.Url("auditservice"), "/api/v1/audit-events?limit=200"));
            return events!.Items.FirstOrDefault(e => e.Action == "feedback.triaged" && e.After?.GetProperty("status").GetString() == "reviewed");
        });
        Assert.Equal("pending", triaged.Before!.Value.GetProperty("status").GetString());
        Assert.Equal("admin@platform.local", triaged.Actor.Email);
        Assert.Empty(session.ConsoleErrors);
    }
}
