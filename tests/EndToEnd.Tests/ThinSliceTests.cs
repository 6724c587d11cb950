using System.Net;
using System.Net.Http.Headers;
using Audit.Contracts;

namespace EndToEnd.Tests;

/// <summary>One user action followed across every process: Api → AuditService → PostgreSQL → Dashboard, and Prometheus watching.</summary>
public sealed class ThinSliceTests(RunningSystem system) : IClassFixture<RunningSystem>
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private PlatformApp Host => system.Host;

    [Fact]
    public async Task EveryServiceIsHealthyIncludingItsDatabase()
    {
        foreach (var service in new[] { "auditservice", "api", "dashboard" })
        {
            var response = await _http.GetAsync(new Uri(Host.Url(service), "/health"), Ct);
            var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("Healthy", body.GetProperty("status").GetString());
            var checks = body.GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("name").GetString()).ToList();
            if (service != "dashboard")
            {
                Assert.Contains(service == "api" ? "appdb" : "auditdb", checks);
            }
        }
    }

    [Fact]
    public async Task CreatingATenantIsAuditedWithTheRequestsTraceAndShownOnTheDashboard()
    {
        var token = await SignInAsync("admin@platform.local");
        var traceId = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());
        using var create = new HttpRequestMessage(HttpMethod.Post, new Uri(Host.Url("api"), "/api/tenants"))
        {
            Content = JsonContent.Create(new { name = $"Slice {traceId[..8]}", plan = "team" }),
        };
        create.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        create.Headers.Add("traceparent", $"00-{traceId}-b7ad6b7169203331-01");

        var created = await _http.SendAsync(create, Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var tenant = await created.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var tenantId = tenant.GetProperty("id").GetGuid();

        var stored = await Eventually.Async(async () =>
        {
            using var read = new HttpRequestMessage(HttpMethod.Get, new Uri(Host.Url("auditservice"), $"/api/v1/audit-events?tenantId={tenantId}"));
            read.Headers.Add("X-Api-Key", Host.Secret("ops-audit-read-key"));
            var page = await (await _http.SendAsync(read)).Content.ReadFromJsonAsync<AuditEventPage>();
            return page!.Items.SingleOrDefault(e => e.Action == "tenant.created");
        });

        Assert.Equal(traceId, stored.TraceId);
        Assert.Matches("^[0-9a-f]{16}$", stored.SpanId!);
        Assert.Equal("human", stored.Actor.Type);
        Assert.Equal("admin@platform.local", stored.Actor.Email);
        Assert.Equal("tenant", stored.Resource!.Type);
        Assert.Equal(tenantId.ToString(), stored.Resource.Id);
        Assert.Equal("team", stored.After!.Value.GetProperty("plan").GetString());
        Assert.Equal("api", stored.SourceService);

        var (playwright, browser) = await Chromium.LaunchAsync();
        await using (browser)
        using (playwright)
        {
            var page = await browser.NewPageAsync();
            var consoleErrors = new List<string>();
            page.Console += (_, message) =>
            {
                if (message.Type == "error")
                {
                    consoleErrors.Add(message.Text);
                }
            };
            await page.GotoAsync(new Uri(Host.Url("dashboard"), "/audit").ToString());
            await page.FillAsync("#email", "admin@platform.local");
            await page.FillAsync("#password", Host.Password("admin@platform.local"));
            await page.ClickAsync("[data-testid=sign-in-submit]");
            var row = page.Locator("[data-testid=audit-events] tbody tr", new() { Has = page.Locator($"[data-event-id='{stored.Id}']") });
            await row.WaitForAsync();
            Assert.Contains("tenant.created", await row.InnerTextAsync());
            await page.WaitForSelectorAsync("[data-interactive=true]");
            // The interactive render replaces the prerendered rows once: click until the detail drawer opens (once it is
            // open it covers the row, so clicking again would wait on the drawer), then wait for its content. Each click
            // is given 5 s: on the loaded CI machine one once waited its whole 30 s for the row to be "stable".
            var drawer = page.Locator("[data-testid=audit-detail]");
            for (var attempt = 0; attempt < 10 && !await drawer.IsVisibleAsync(); attempt++)
            {
                try
                {
                    await row.ClickAsync(new() { Timeout = 5_000 });
                }
                catch (TimeoutException)
                {
                    TestContext.Current.TestOutputHelper?.WriteLine($"Click {attempt + 1} on the audit row timed out; trying again.");
                }

                await Task.Delay(500, Ct);
            }

            var detail = drawer.Locator("[data-testid=detail-trace-id]");
            await detail.WaitForAsync(new() { Timeout = 30_000 });

            await page.ScreenshotAsync(new() { Path = Path.Combine(Artifacts.Directory, "thin-slice-detail.png") });
            Assert.True(await detail.IsVisibleAsync(), "detail panel did not open; console: " + string.Join(" | ", consoleErrors));
            Assert.Equal(traceId, (await detail.InnerTextAsync()).Trim());
            // A created resource lists every field of its after-state as changed, with nothing before.
            var changed = await page.Locator("[data-testid=detail-diff] tr[data-changed=true]").AllInnerTextsAsync();
            Assert.Contains(changed, r => r.Contains("plan") && r.Contains("team"));
            await page.ScreenshotAsync(new() { Path = Path.Combine(Artifacts.Directory, "thin-slice-audit.png"), FullPage = true });
            Assert.Empty(consoleErrors);

            // Support follows the entry to its trace: without Grafana, the Aspire dashboard's page of that trace.
            var openTrace = page.Locator("[data-testid=open-trace]");
            Assert.Contains("Aspire dashboard", await openTrace.InnerTextAsync(), StringComparison.OrdinalIgnoreCase);
            var tracePage = await page.Context.RunAndWaitForPageAsync(() => openTrace.ClickAsync());
            Assert.Equal(new Uri(Host.AspireDashboard!, $"/traces/detail/{traceId}"), new Uri(tracePage.Url));
            await SeeAsync(tracePage, "POST /api/tenants");
            await tracePage.ScreenshotAsync(new() { Path = Path.Combine(Artifacts.Directory, "thin-slice-aspire-trace.png"), FullPage = true });
        }
    }

    /// <summary>Telemetry reaches the Aspire dashboard a second or two after the request: reload until the text shows.</summary>
    private static async Task SeeAsync(Microsoft.Playwright.IPage page, string text)
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            await page.WaitForLoadStateAsync(Microsoft.Playwright.LoadState.NetworkIdle);
            if (await page.GetByText(text).First.IsVisibleAsync())
            {
                return;
            }

            await Task.Delay(1000);
            await page.ReloadAsync();
        }

        Assert.Fail($"{page.Url} never showed \"{text}\"");
    }

    [Fact]
    public async Task PrometheusScrapesEveryService()
    {
        var jobs = await Eventually.Async(async () =>
        {
            var query = Uri.EscapeDataString("up{job=~\"auditservice|api|dashboard\"} == 1");
            var result = await _http.GetFromJsonAsync<JsonElement>(new Uri(Host.Url("prometheus"), $"/api/v1/query?query={query}"));
            var up = result.GetProperty("data").GetProperty("result").EnumerateArray()
                .Select(r => r.GetProperty("metric").GetProperty("job").GetString()).Order().ToList();
            return up.Count == 3 ? up : null;
        });
        Assert.Equal(["api", "auditservice", "dashboard"], jobs);

        // And the scraped data is the services' own: request durations per route from the Api.
        var series = await Eventually.Async(async () =>
        {
            var query = Uri.EscapeDataString("http_server_request_duration_seconds_count{job=\"auditservice\"}");
            var result = await _http.GetFromJsonAsync<JsonElement>(new Uri(Host.Url("prometheus"), $"/api/v1/query?query={query}"));
            var count = result.GetProperty("data").GetProperty("result").GetArrayLength();
            return count > 0 ? (int?)count : null;
        });
        Assert.True(series > 0);
    }

    private async Task<string> SignInAsync(string email) => (await _http.SignInAsync(email, Host.Password(email), Host.Url("api"), Ct)).AccessToken;
}
