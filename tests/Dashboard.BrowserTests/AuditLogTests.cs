using System.Net.Http.Json;
using System.Text.Json;
using Audit.Contracts;
using Testing;

namespace Dashboard.BrowserTests;

public sealed class AuditLogTests(BrowserSystem system)
{
    [Fact]
    public async Task TheDetailDrawerShowsTheDiffAndLinksToTheEntrysTraceAndItsLogs()
    {
        var token = await system.TokenAsync("admin@platform.local");
        using var api = system.ApiClient(token);
        var traceId = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());
        var name = $"Drawer {traceId[..6]}";
        var tenant = await (await api.PostAsJsonAsync("/api/tenants", new { name, plan = "pro" })).Content.ReadFromJsonAsync<JsonElement>();
        var tenantId = tenant.GetProperty("id").GetGuid();
        using var change = new HttpRequestMessage(HttpMethod.Put, $"/api/tenants/{tenantId}/settings")
        {
            Content = JsonContent.Create(new { timezone = "Europe/Paris", storeOutputPreviews = true }),
        };
        change.Headers.Add("traceparent", $"00-{traceId}-00f067aa0ba902b7-01");
        (await api.SendAsync(change)).EnsureSuccessStatusCode();

        await using var session = await system.SignInAsync("admin@platform.local");
        await session.GotoAsync(system.Dashboard, "/audit");
        await session.Page.GetByLabel("Action").FillAsync("tenant.settings_changed");
        await session.Page.ClickAsync("[data-testid=apply-filters]");
        await FilteredRowsAsync(session, "tenant.settings_changed");
        await session.Page.Locator("[data-testid=audit-events] tbody tr", new() { HasText = "tenant.settings_changed" }).Filter(new() { HasText = name }).First.ClickAsync();

        var drawer = session.Page.Locator("[data-testid=audit-detail]");
        await drawer.WaitForAsync();
        var changed = await drawer.Locator("[data-testid=detail-diff] tr[data-changed=true]").AllInnerTextsAsync();
        Assert.Contains(changed, r => r.Contains("timezone") && r.Contains("Europe/Paris"));
        Assert.Contains("Platform Admin", await drawer.Locator("[data-testid=detail-actor]").InnerTextAsync());

        // The entry carries the changing request's trace, and its Grafana links say so.
        Assert.Equal(traceId, (await drawer.Locator("[data-testid=detail-trace-id]").InnerTextAsync()).Trim());
        var traceLink = await drawer.Locator("[data-testid=open-trace]").GetAttributeAsync("href");
        var logsLink = await drawer.Locator("[data-testid=open-logs]").GetAttributeAsync("href");
        Assert.Contains(traceId, Uri.UnescapeDataString(traceLink!));
        Assert.Contains(traceId, Uri.UnescapeDataString(logsLink!));
        await session.ScreenshotAsync("audit-detail-drawer");
        Assert.Empty(session.ConsoleErrors);
    }

    [Fact]
    public async Task FiltersPageByCursorAndTheFilteredSetExportsAsCsv()
    {
        var tenant = await AcmeAsync();
        var action = $"test.paging_{Guid.NewGuid().ToString("N")[..8]}";
        await WriteEventsAsync(tenant, action, 120);

        await using var session = await system.SignInAsync("admin@platform.local");
        await session.GotoAsync(system.Dashboard, "/audit");
        await session.Page.GetByLabel("Action").FillAsync(action);
        await session.Page.ClickAsync("[data-testid=apply-filters]");
        var rows = session.Page.Locator("[data-testid=audit-events] tbody tr");
        Assert.Equal(50, await FilteredRowsAsync(session, action));
        await session.Page.ClickAsync("[data-testid=load-more]");
        await Eventually.Async(async () => await rows.CountAsync() == 100 ? (bool?)true : null, 30);
        await session.Page.ClickAsync("[data-testid=load-more]");
        await Eventually.Async(async () => await rows.CountAsync() == 120 ? (bool?)true : null, 30);
        await session.Page.GetByText("End of the log for these filters.").WaitForAsync();

        // The export link carries the same filters; what it serves (through the Dashboard, with this session) is read back.
        var href = await session.Page.Locator("[data-testid=export-csv]").GetAttributeAsync("href");
        Assert.Contains(Uri.EscapeDataString(action), href);
        var export = await session.Context.APIRequest.GetAsync(new Uri(system.Dashboard, href).ToString());
        Assert.True(export.Ok, $"export answered {export.Status}");
        var path = Path.Combine(Artifacts.Directory, "audit-export.csv");
        await File.WriteAllTextAsync(path, await export.TextAsync());
        var lines = File.ReadAllLines(path).Where(l => l.Length > 0).ToList();
        Assert.Equal(121, lines.Count);
        Assert.Contains("action", lines[0]);
        Assert.All(lines.Skip(1), l => Assert.Contains(action, l));
        Assert.Empty(session.ConsoleErrors);
    }

    [Fact]
    public async Task LiveTailShowsNewEntriesWithoutAReload()
    {
        var tenant = await AcmeAsync();
        var action = $"test.live_{Guid.NewGuid().ToString("N")[..8]}";
        await using var session = await system.SignInAsync("admin@platform.local");
        await session.GotoAsync(system.Dashboard, "/audit");
        await session.Page.Locator("[data-testid=audit-events]").WaitForAsync();
        await session.Page.GetByText("Live tail").ClickAsync();
        var url = session.Page.Url;

        await WriteEventsAsync(tenant, action, 1);

        await session.Page.Locator("[data-testid=audit-events] tbody tr", new() { HasText = action }).WaitForAsync(new() { Timeout = 20_000 });
        Assert.Equal(url, session.Page.Url);
        Assert.Empty(session.ConsoleErrors);
    }

    [Fact]
    public async Task ErrorsOnlyShowsOnlyErrorEntries()
    {
        var tenant = await AcmeAsync();
        var action = $"test.errors_{Guid.NewGuid().ToString("N")[..8]}";
        await WriteEventsAsync(tenant, action, 3, "info");
        await WriteEventsAsync(tenant, action, 2, "error");
        await using var session = await system.SignInAsync("admin@platform.local");
        await session.GotoAsync(system.Dashboard, "/audit");
        await session.Page.GetByLabel("Action").FillAsync(action);
        await session.Page.GetByText("Errors only").ClickAsync();
        await session.Page.ClickAsync("[data-testid=apply-filters]");
        Assert.Equal(2, await FilteredRowsAsync(session, action));
        Assert.All(await session.Page.Locator("[data-testid=audit-events] tbody td[data-label=Severity]").AllInnerTextsAsync(), s => Assert.Equal("error", s.Trim()));
        Assert.Empty(session.ConsoleErrors);
    }

    /// <summary>
    /// Waits until the table shows only the filtered action (the unfiltered first page, shown from the prerender,
    /// has been replaced), and answers how many rows it has.
    /// </summary>
    private static async Task<int> FilteredRowsAsync(SignedInPage session, string action) =>
        await Eventually.Async(async () =>
        {
            var actions = await session.Page.Locator("[data-testid=audit-events] tbody td[data-label=Action]").AllInnerTextsAsync();
            return actions.Count > 0 && actions.All(a => a.Trim() == action) ? (int?)actions.Count : null;
        }, 30) ?? 0;

    private async Task<Guid> AcmeAsync()
    {
        using var api = system.ApiClient(await system.TokenAsync("admin@acme.local"));
        var tenants = await api.GetFromJsonAsync<JsonElement>("/api/tenants");
        return tenants.EnumerateArray().Single(t => t.GetProperty("slug").GetString() == "acme").GetProperty("id").GetGuid();
    }

    private async Task WriteEventsAsync(Guid tenant, string action, int count, string severity = "info")
    {
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Add("X-Api-Key", system.Host.Secret("api-audit-key"));
        var events = Enumerable.Range(0, count).Select(i => new AuditEventDto
        {
            Id = Guid.CreateVersion7(),
            TenantId = tenant,
            OccurredAt = DateTimeOffset.UtcNow.AddMilliseconds(-i),
            Actor = new ActorDto { Type = "system", Id = "browser-tests", Name = "Browser tests" },
            Action = action,
            Severity = severity,
            Description = $"{action} #{i}",
        }).ToArray();
        var response = await http.PostAsJsonAsync(new Uri(system.Host.Url("auditservice"), "/api/v1/events"), events);
        response.EnsureSuccessStatusCode();
    }
}
