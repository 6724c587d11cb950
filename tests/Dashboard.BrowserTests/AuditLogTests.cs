using Audit.Contracts;

namespace Dashboard.BrowserTests;

public sealed class AuditLogTests(BrowserSystem system)
{
    [Fact]
    public async Task TheDetailDrawerShowsTheDiffAndLinksToTheEntrysTraceAndItsLogs()
    {
        using var api = await system.ApiClientForAsync("admin@platform.local");
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

        await using var session = await system.SignInAtAsync("/audit", "admin@platform.local");
        await session.Page.GetByLabel("Action").FillAsync("tenant.settings_changed");
        await session.Page.ClickAsync("[data-testid=apply-filters]");
        await session.FilteredRowsAsync("tenant.settings_changed");
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
        var action = await system.WriteAcmeEventsAsync("paging", ("info", 120));

        await using var session = await system.SignInAtAsync("/audit", "admin@platform.local");
        await session.Page.GetByLabel("Action").FillAsync(action);
        await session.Page.ClickAsync("[data-testid=apply-filters]");
        var rows = session.Page.Locator("[data-testid=audit-events] tbody tr");
        Assert.Equal(50, await session.FilteredRowsAsync(action));
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
    public async Task BothExportsCarryWhatTheDetailShowsTheErrorStackIncluded()
    {
        var tenant = await system.AcmeAsync();
        var action = AuditData.UniqueAction("export");
        var failed = AuditData.Event(tenant, action, "error");
        failed.Error = new ErrorDto { Message = "Sync failed", Stack = "at Sync.Run()\n  at Worker.Loop()" };
        await system.WriteAsync(failed);

        await using var session = await system.SignInAtAsync($"/audit?action={action}", "admin@acme.local");
        await session.FilteredRowsAsync(action);
        await session.Page.Locator("[data-testid=audit-events] tbody tr").First.ClickAsync();
        var hash = (await session.Page.Locator("[data-testid=detail-hash]").InnerTextAsync()).Trim();
        Assert.Contains("at Worker.Loop()", await session.Page.Locator("[data-testid=audit-detail]").InnerTextAsync());

        async Task<string> ExportAsync(string format)
        {
            var href = await session.Page.Locator($"[data-testid=export-{format}]").GetAttributeAsync("href");
            var export = await session.Context.APIRequest.GetAsync(new Uri(system.Dashboard, href).ToString());
            Assert.True(export.Ok, $"{format} export answered {export.Status}");
            return await export.TextAsync();
        }

        var csv = await ExportAsync("csv");
        Assert.Contains("error_stack", csv[..csv.IndexOf('\n', StringComparison.Ordinal)]);
        Assert.Contains("\"at Sync.Run()\n  at Worker.Loop()\"", csv);
        Assert.Contains(hash, csv);
        var row = JsonDocument.Parse((await ExportAsync("ndjson")).Trim()).RootElement;
        Assert.Equal("at Sync.Run()\n  at Worker.Loop()", row.GetProperty("error").GetProperty("stack").GetString());
        Assert.Equal(hash, row.GetProperty("hash").GetString());
        Assert.Empty(session.ConsoleErrors);
    }

    [Fact]
    public async Task LiveTailShowsNewEntriesWithoutAReload()
    {
        var tenant = await system.AcmeAsync();
        var action = AuditData.UniqueAction("live");
        await using var session = await system.SignInAtAsync("/audit", "admin@platform.local");
        await session.Page.Locator("[data-testid=audit-events]").WaitForAsync();
        await session.Page.GetByText("Live tail").ClickAsync();
        var url = session.Page.Url;

        await system.WriteEventsAsync(tenant, action, 1);

        await session.Page.Locator("[data-testid=audit-events] tbody tr", new() { HasText = action }).WaitForAsync(new() { Timeout = 20_000 });
        Assert.Equal(url, session.Page.Url);
        Assert.Empty(session.ConsoleErrors);
    }

    [Fact]
    public async Task ErrorsOnlyShowsWarningsErrorsAndCriticalEntries()
    {
        var action = await system.WriteAcmeEventsAsync("errors", ("info", 3), ("error", 2), ("warning", 1), ("critical", 1));
        await using var session = await system.SignInAtAsync("/audit", "admin@platform.local");
        await session.Page.GetByLabel("Action").FillAsync(action);
        await session.Page.GetByText("Errors only").ClickAsync();
        await session.Page.ClickAsync("[data-testid=apply-filters]");
        Assert.Equal(4, await session.FilteredRowsAsync(action));
        Assert.Equal(["critical", "error", "error", "warning"], (await session.ColumnAsync("Severity")).Order());
        Assert.Empty(session.ConsoleErrors);
    }
}
